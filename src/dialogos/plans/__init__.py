"""Action plans: action plans, indicators and reporting cycles."""
