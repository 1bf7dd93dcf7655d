"""The forms: modal screens, each validated field by field, with a preview before saving."""
