"""Document rendering: HTML to PDF with WeasyPrint, and the private file storage."""
