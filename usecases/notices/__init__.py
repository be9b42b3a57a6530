"""What the bot says on its own initiative: who is told what when a use case changes
something (a round opened, moved or closed, a product reached a volume price, a deadline
nears, staff broadcast). Builders turn domain values into outbox `Post`s; `posts.queue_posts`
writes them in the use case's transaction, and the rate-limited sender (`bot.delivery.sender`)
delivers them later."""
