"""Reference implementation of the custom_component template's `user.main.component`."""
