"""News: news, the quarterly review and subscriptions."""
