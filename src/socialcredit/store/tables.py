"""The store's tables, in one place. Types are portable: the same schema on SQLite and
PostgreSQL (JSON fields, ISO dates, text keys)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

batches = Table(
    "batches",
    metadata,
    Column("id", String(64), primary_key=True),  # sha256 of agency, category and content
    Column("agency", String(64), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("accepted", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
)

subjects = Table(
    "subjects",
    metadata,
    Column("id", String(18), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("name", Text),
    Column("birth_date", Date),
    Column("region", String(6)),
)

records = Table(
    "records",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("subject_id", String(18), ForeignKey("subjects.id"), nullable=False, index=True),
    Column("category", String(128), nullable=False),
    Column("agency", String(64), nullable=False),
    Column("doc_no", Text, nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("fields", JSON, nullable=False),
    Column("original", JSON, nullable=False),
    Column("batch_id", String(64), ForeignKey("batches.id"), nullable=False),
    UniqueConstraint("category", "agency", "doc_no", name="uq_record_source"),
)

record_status = Table(
    "record_status",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(40), ForeignKey("records.id"), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("date", Date, nullable=False),
    Column("batch_id", String(64), ForeignKey("batches.id"), nullable=False),
    UniqueConstraint("record_id", "status", "date", name="uq_record_status"),
)

relations = Table(
    "relations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", String(18), nullable=False, index=True),
    Column("role", String(64), nullable=False),
    Column("person_id", String(18), nullable=False, index=True),
    Column("since", Date),
    Column("until", Date),
    Column("record_id", String(40), ForeignKey("records.id")),
    UniqueConstraint("org_id", "role", "person_id", "since", name="uq_relation"),
)

rejections = Table(
    "rejections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", String(64), ForeignKey("batches.id"), nullable=False, index=True),
    Column("row_no", Integer, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("raw", JSON, nullable=False),
)

label_runs = Table(
    "label_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("as_of", Date, nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("revisions", JSON, nullable=False),
    Column("subjects", Integer, nullable=False),
    Column("entries", Integer, nullable=False),
)

list_entries = Table(
    "list_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("label_runs.id"), nullable=False),
    Column("list_id", String(128), nullable=False),
    Column("pack_id", String(128), nullable=False),
    Column("rule_version", Date, nullable=False),
    Column("subject_id", String(18), nullable=False),
    Column("record_id", String(40), nullable=False),
    Column("starts", Date, nullable=False),
    Column("planned_end", Date),
    Column("ends", Date),
    Column("removed_by", String(64)),
    Column("reason", Text, nullable=False),
    Index("ix_entries_run_subject", "run_id", "subject_id"),
    Index("ix_entries_run_list", "run_id", "list_id"),
)

ratings = Table(
    "ratings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("label_runs.id"), nullable=False),
    Column("rating_id", String(128), nullable=False),
    Column("subject_id", String(18), nullable=False),
    Column("grade", String(16), nullable=False),
    Column("score", Float, nullable=False),
    Index("ix_ratings_run_subject", "run_id", "subject_id"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(16), primary_key=True),  # the key's public prefix
    Column("key_hash", String(64), nullable=False, unique=True),  # sha256 of the whole key
    Column("role", String(16), nullable=False),  # agency, public, subject, auditor, admin
    Column("name", Text, nullable=False),
    Column("agency", String(64)),
    Column("subject_id", String(18)),
    Column("scopes", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

# Portal sign-ins: the browser's cookie holds a random token; only its hash is stored, with
# the key it stands for (revoking the key ends the session) and when it expires.
portal_sessions = Table(
    "portal_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("key_id", String(16), ForeignKey("api_keys.id"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", Text, nullable=False),  # ISO time, hashed as text
    Column("actor", Text, nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", String(18), index=True),
    Column("purpose", Text),
    Column("result", Text),
    Column("revisions", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # the feed's cursor
    Column("at", DateTime(timezone=True), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("subject_id", String(18), index=True),
    Column("category", String(128)),
    Column("disclosure", String(16), nullable=False),
    Column("agency", String(64)),  # the source agency of the record behind the event
    Column("payload", JSON, nullable=False),
)

# The measures in force after the latest label run, one row per measure, person reached and
# trigger; labelling compares against it to emit measure.started and measure.ended events.
measures_in_force = Table(
    "measures_in_force",
    metadata,
    Column("key", String(512), primary_key=True),  # memorandum|measure|subject|trigger
    Column("subject_id", String(18), nullable=False, index=True),
    Column("category", String(128)),
    Column("disclosure", String(16), nullable=False),
    Column("agency", String(64)),
    Column("payload", JSON, nullable=False),
)

# --- objections and credit repair (issue 4) ---------------------------------------------------
# An objection disputes one record: open (or escalated) while disputed, then corrected or
# upheld. ``deadline`` holds the review deadline the pack sets (due date, exactness, the step
# and list it follows); ``decisions`` every outcome given (at, by, outcome, reason).
objections = Table(
    "objections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(40), ForeignKey("records.id"), nullable=False, index=True),
    Column("subject_id", String(18), nullable=False, index=True),
    Column("agency", String(64), nullable=False),  # the record's source agency
    Column("filed_by", Text, nullable=False),  # the actor (role:name)
    Column("filed_on", Date, nullable=False),
    Column("filed_at", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(16), nullable=False),  # open, escalated, corrected, upheld
    Column("due_on", Date),
    Column("deadline", JSON, nullable=False),
    Column("decisions", JSON, nullable=False),
)

# A credit repair application and its outcome (approved or refused, with the reasons and the
# lists whose publication it stops).
repairs = Table(
    "repairs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(40), ForeignKey("records.id"), nullable=False, index=True),
    Column("subject_id", String(18), nullable=False, index=True),
    Column("agency", String(64), nullable=False),  # the record's source agency
    Column("applied_by", Text, nullable=False),
    Column("applied_on", Date, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("route", String(16), nullable=False),  # application (cn-credit-repair) or status
    Column("application", JSON, nullable=False),
    Column("outcome", String(16), nullable=False),  # approved, refused
    Column("publication_ends", Date),
    Column("reasons", JSON, nullable=False),
    Column("lists", JSON, nullable=False),
)

# --- record linkage review (issue 14) ----------------------------------------------------------
# A record without a usable identity number and a person it may be (splink's probability and
# the comparison levels): pending until a clerk accepts or rejects it. Nothing reads a pending
# or rejected candidate as a record of the person. Only the agency that sent the record (and
# an admin) sees and reviews it; NULL agency: queued before migration 0010, admins only.
link_candidates = Table(
    "link_candidates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_agency", Text, index=True),
    Column("record_key", Text, nullable=False),  # the agency's key of the record (doc_no)
    Column("record", JSON, nullable=False),  # the record as the agency sent it
    Column("subject_id", String(18), nullable=False),
    Column("probability", Float, nullable=False),
    Column("levels", JSON, nullable=False),
    Column("status", String(16), nullable=False, index=True),  # pending, accepted, rejected
    Column("queued_by", Text, nullable=False),
    Column("queued_at", DateTime(timezone=True), nullable=False),
    Column("reviewed_by", Text),
    Column("reviewed_at", DateTime(timezone=True)),
    Column("review_reason", Text),
    UniqueConstraint("source_agency", "record_key", "subject_id", name="uq_link_candidate"),
)

# A printed credit report: its number, what it is of, when it was issued and the digest of
# its content, so that a reader of the paper can check it at /verify/<number> (issue 14).
issued_reports = Table(
    "issued_reports",
    metadata,
    Column("number", String(32), primary_key=True),
    Column("subject_shown", Text, nullable=False),  # the id as the report shows it
    Column("as_of", Date, nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("digest", String(64), nullable=False),  # SHA-256 of the report's content
)

# --- the audit log's Merkle tree, signed heads and public reads (issue 13 items 7 and 19,
# issue 12 item 3) ---------------------------------------------------------------------------
# Entries are first written here, in the caller's transaction, without any lock; the sealer
# moves them into ``audit_log`` in order, numbered, chained and added to the Merkle tree.
audit_pending = Table(
    "audit_pending",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", String(18)),
    Column("purpose", Text),
    Column("result", Text),
    Column("revisions", JSON, nullable=False),
)

# One row (id 1): how many entries the Merkle tree holds and its frontier (the roots of its
# perfect subtrees, largest first, hex); the sealer holds this row's lock while it seals.
audit_tree = Table(
    "audit_tree",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("size", Integer, nullable=False),
    Column("frontier", JSON, nullable=False),
)

# Signed tree heads (Ed25519; the key is a file outside the database).
audit_heads = Table(
    "audit_heads",
    metadata,
    Column("tree_size", Integer, primary_key=True, autoincrement=False),
    Column("timestamp", BigInteger, nullable=False),  # milliseconds since 1970, UTC
    Column("root_hash", String(64), nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("signature", String(128), nullable=False),
    Column("frontier", JSON, nullable=False),  # the tree's frontier at this size (hex)
)

# Reads by public callers, counted per subject, day and caller instead of chained one by one.
public_reads = Table(
    "public_reads",
    metadata,
    Column("subject_id", String(18), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("actor", String(128), primary_key=True),
    Column("reads", Integer, nullable=False),
)

# Every name a subject has had (issue 13 item 15): set when the subject is first reported,
# changed only by a registration source (a catalog category of domain ``registration``); each
# row says which name it replaced, which agency's record in which batch gave it, and when.
subject_names = Table(
    "subject_names",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_id", String(18), ForeignKey("subjects.id"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("previous", Text),
    Column("agency", String(64), nullable=False),
    Column("category", String(128), nullable=False),
    Column("record_id", String(40), nullable=False),
    Column("batch_id", String(64), ForeignKey("batches.id"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
