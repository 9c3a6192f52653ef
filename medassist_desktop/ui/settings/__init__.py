"""The admin's Settings page: users, sign-in policy, the model, sync and cloud."""
