/* urgency — is a new tip urgent? Its text against the [escalation] urgent
 * keywords (docs/domain.md §2 "urgent", §9). An urgent tip gets
 * urgent_deadline instead of ack_deadline and is flagged KHẨN.
 *
 * Threads: pure, any thread; cfg is borrowed and not kept.
 */
#ifndef TINBAO_URGENCY_H
#define TINBAO_URGENCY_H

struct config;

/* 1 if text is urgent, 0 if not (or when memory runs out). */
int urgency_match(const struct config *cfg, const char *text);

#endif
