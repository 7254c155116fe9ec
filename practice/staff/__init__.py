"""Staff: the custom User, roles and supervision links, and the role checks for views."""
