"""The audit log: its model, the one function that writes to it, and the sign-in receivers."""
