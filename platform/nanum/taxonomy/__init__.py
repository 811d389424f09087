"""UN Sustainable Development Goals taxonomy."""
