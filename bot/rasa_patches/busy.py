"""The one reply a citizen gets when the system cannot answer right now (action server down or slow, tracker or
lock store unavailable): polite, short, and an invitation to send the message again."""

BUSY_TEXT = "系统繁忙，请稍后再试"
