"""Widgets shared by the screens and modals."""
