"""Services of the news app: every write to news goes through these functions.

Each is keyword-only, owns its transaction and audit entry, raises ``ValidationError`` (naming
the field) on bad input and ``PermissionDenied`` when the actor lacks the right.
"""

from dialogos.news.services.items import (
    add_news_image,
    delete_news_item,
    draft_news_from_decision,
    pending_announcements,
    remove_news_image,
    save_news_item,
    update_news_image,
)
from dialogos.news.services.reviews import (
    create_review_issue,
    gather_review,
    move_review_entry,
    publish_review_issue,
    remove_review_entry,
    resume_sending,
    retry_failed,
    update_review_entry,
    update_review_issue,
)
from dialogos.news.services.sending import progress, send_issue
from dialogos.news.services.subscriptions import (
    BadToken,
    confirm_subscription,
    subscribe,
    unsubscribe,
    unsubscribe_token,
)

__all__ = [
    "BadToken",
    "add_news_image",
    "confirm_subscription",
    "create_review_issue",
    "delete_news_item",
    "draft_news_from_decision",
    "gather_review",
    "move_review_entry",
    "pending_announcements",
    "progress",
    "publish_review_issue",
    "remove_news_image",
    "remove_review_entry",
    "resume_sending",
    "retry_failed",
    "save_news_item",
    "send_issue",
    "subscribe",
    "unsubscribe",
    "unsubscribe_token",
    "update_news_image",
    "update_review_entry",
    "update_review_issue",
]
