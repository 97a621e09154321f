"""Outcome texts: outcome texts under negotiation and their adoption."""
