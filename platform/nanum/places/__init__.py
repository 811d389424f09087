"""Places like mine: a person's or an organisation's context profile, and practices ranked by
how alike their context is to it, each with the reasons in words."""
