"""HTML pages of a tenant's people: users, security groups, and creating a tenant."""
