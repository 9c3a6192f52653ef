"""Qt widgets: thin views over the services in the application context."""
