-- Summarising truncation of Warden's conversations: the context the last turn left (the upstream's
-- input plus output tokens of that turn), compared with warden.conversation.summarise-above before
-- the next turn, and how many times the conversation was started again from a summary. No text.
alter table warden_conversation add column context_tokens integer default 0 not null;
alter table warden_conversation add column summaries integer default 0 not null;
