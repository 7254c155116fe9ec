"""The practice admin's pages: policy, staff and supervision links, the client directory,
instruments and the audit search."""
