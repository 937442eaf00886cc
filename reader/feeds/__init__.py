"""Feeds: subscriptions, conditional updates, and new items as full articles."""
