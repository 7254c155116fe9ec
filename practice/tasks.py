from celery import shared_task


@shared_task
def ping() -> str:
    """Answers 'pong': lets a health check see a task go through the broker to a worker."""
    return "pong"
