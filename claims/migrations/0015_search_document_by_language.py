"""A language on claims and evidence, and a search document per claim kept by PostgreSQL triggers."""

from importlib import import_module

import django.contrib.postgres.search
from django.db import migrations, models

_HISTORY = import_module("claims.migrations.0007_history_append_only_in_database")


# Arabic script (letters, digits, presentation forms) against Latin and Cyrillic letters.
_ARABIC = r"[^\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]"
_OTHER = r"[^A-Za-z\u00C0-\u024F\u0400-\u04FF]"
# A word's last letter: followed by anything but an Arabic letter.
_WORD_END = r"(?=[^\u0621-\u063A\u0641-\u064A]|$)"

CREATE = rf"""
-- The search configuration of a text: the language set on the row, else detected.
CREATE OR REPLACE FUNCTION claims_search_config(lang text, body text) RETURNS regconfig
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    arabic integer;
    other integer;
BEGIN
    IF lang = 'ar' THEN
        RETURN 'arabic';
    ELSIF lang = 'en' THEN
        RETURN 'english';
    END IF;
    arabic := length(regexp_replace(coalesce(body, ''), '{_ARABIC}', '', 'g'));
    other := length(regexp_replace(coalesce(body, ''), '{_OTHER}', '', 'g'));
    IF arabic > 0 AND arabic >= other THEN
        RETURN 'arabic';
    END IF;
    RETURN 'english';
END $$;

-- Arabic's stemmer drops tashkeel and tatweel and folds alef variants and digits itself, but
-- stems a final alef maqsura and ya differently (both read as ya here, in documents and
-- queries), and a final ta marbuta and ha differently: a document is indexed as written and
-- with each read as the other, so informal spelling and pronoun suffixes ("his forces") match.
CREATE OR REPLACE FUNCTION claims_search_vector(lang text, body text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    config regconfig := claims_search_config(lang, body);
    plain text := coalesce(body, '');
    ha_as_ta text;
    ta_as_ha text;
    doc tsvector;
BEGIN
    IF config <> 'arabic'::regconfig THEN
        RETURN to_tsvector(config, plain);
    END IF;
    plain := translate(plain, 'ى', 'ي');
    ha_as_ta := regexp_replace(plain, 'ه{_WORD_END}', 'ة', 'g');
    ta_as_ha := translate(plain, 'ة', 'ه');
    doc := to_tsvector('arabic', plain);
    IF ha_as_ta <> plain THEN
        doc := doc || to_tsvector('arabic', ha_as_ta);
    END IF;
    IF ta_as_ha <> plain THEN
        doc := doc || to_tsvector('arabic', ta_as_ha);
    END IF;
    RETURN doc;
END $$;

-- A query in websearch syntax, parsed in the language its own script says (one reading, so
-- the planner's estimate stays that of a single term and the GIN index is used).
CREATE OR REPLACE FUNCTION claims_search_query(q text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT websearch_to_tsquery(claims_search_config('', q), translate(q, 'ى', 'ي'))
$$;

CREATE OR REPLACE FUNCTION claims_claim_document(p_claim bigint, p_text text, p_lang text, p_claimant bigint)
RETURNS tsvector LANGUAGE plpgsql STABLE AS $$
DECLARE
    name text := coalesce((SELECT c.name FROM claims_claimant c WHERE c.id = p_claimant), '');
    doc tsvector := setweight(claims_search_vector(p_lang, p_text), 'A')
        || setweight(to_tsvector('simple', name) || claims_search_vector('', name), 'B');
    e record;
BEGIN
    FOR e IN SELECT quote, language FROM claims_evidence WHERE claim_id = p_claim AND quote <> '' LOOP
        doc := doc || setweight(claims_search_vector(e.language, e.quote), 'C');
    END LOOP;
    RETURN doc;
END $$;

-- Recomputed when the text, language or claimant changes, or when the document written is
-- not the one stored (NULL from the evidence and claimant triggers, or a stale copy a save sends back).
CREATE OR REPLACE FUNCTION claims_claim_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.search_document IS NOT NULL
        AND NEW.search_document = OLD.search_document
        AND NEW.text IS NOT DISTINCT FROM OLD.text
        AND NEW.language IS NOT DISTINCT FROM OLD.language
        AND NEW.claimant_id IS NOT DISTINCT FROM OLD.claimant_id THEN
        RETURN NEW;
    END IF;
    NEW.search_document := claims_claim_document(NEW.id, NEW.text, NEW.language, NEW.claimant_id);
    RETURN NEW;
END $$;

-- Once per statement, not per row: a bulk insert of evidence recomputes each claim once.
CREATE OR REPLACE FUNCTION claims_evidence_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE claims_claim SET search_document = NULL WHERE id IN (SELECT claim_id FROM added);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE claims_claim SET search_document = NULL WHERE id IN (SELECT claim_id FROM removed);
    ELSE
        UPDATE claims_claim SET search_document = NULL WHERE id IN (
            SELECT unnest(ARRAY[n.claim_id, o.claim_id]) FROM added n JOIN removed o ON o.id = n.id
            WHERE n.quote IS DISTINCT FROM o.quote OR n.language IS DISTINCT FROM o.language
                OR n.claim_id <> o.claim_id
        );
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION claims_claimant_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claims_claim SET search_document = NULL WHERE claimant_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER claims_claim_search_document BEFORE INSERT OR UPDATE ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_search_document();
CREATE TRIGGER claims_evidence_search_document_added AFTER INSERT ON claims_evidence
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION claims_evidence_search_document();
CREATE TRIGGER claims_evidence_search_document_changed AFTER UPDATE ON claims_evidence
    REFERENCING NEW TABLE AS added OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION claims_evidence_search_document();
CREATE TRIGGER claims_evidence_search_document_removed AFTER DELETE ON claims_evidence
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION claims_evidence_search_document();
CREATE TRIGGER claims_claimant_search_document AFTER UPDATE ON claims_claimant
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION claims_claimant_search_document();

UPDATE claims_claim SET search_document = NULL;
CREATE INDEX claim_search_document_idx ON claims_claim USING gin (search_document);
-- Replaced by the document: the English-only expression indexes of migration 0002.
DROP INDEX IF EXISTS claim_text_fts_idx;
DROP INDEX IF EXISTS evidence_quote_fts_idx;
"""

DROP = """
DROP TRIGGER IF EXISTS claims_claim_search_document ON claims_claim;
DROP TRIGGER IF EXISTS claims_evidence_search_document_added ON claims_evidence;
DROP TRIGGER IF EXISTS claims_evidence_search_document_changed ON claims_evidence;
DROP TRIGGER IF EXISTS claims_evidence_search_document_removed ON claims_evidence;
DROP TRIGGER IF EXISTS claims_claimant_search_document ON claims_claimant;
DROP FUNCTION IF EXISTS claims_claim_search_document();
DROP FUNCTION IF EXISTS claims_evidence_search_document();
DROP FUNCTION IF EXISTS claims_claimant_search_document();
DROP FUNCTION IF EXISTS claims_claim_document(bigint, text, text, bigint);
DROP FUNCTION IF EXISTS claims_search_query(text);
DROP FUNCTION IF EXISTS claims_search_vector(text, text);
DROP FUNCTION IF EXISTS claims_search_config(text, text);
DROP INDEX IF EXISTS claim_search_document_idx;
CREATE INDEX IF NOT EXISTS claim_text_fts_idx ON claims_claim
    USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')));
CREATE INDEX IF NOT EXISTS evidence_quote_fts_idx ON claims_evidence
    USING gin (to_tsvector('english'::regconfig, COALESCE(quote, '')));
"""


def restore_sqlite_history_guard(apps, schema_editor):
    """SQLite rebuilds claims_claim to add a column, which drops migration 0007's trigger; put it back."""
    if schema_editor.connection.vendor == "sqlite":
        (statement,) = [s for s in _HISTORY.SQLITE if "claims_claim_keep_history" in s]
        schema_editor.execute(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1), params=None)


def create_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0014_check_recovery'),
    ]

    operations = [
        # Undoing the columns below rebuilds the table again: the guard comes back last.
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_history_guard),
        migrations.AddField(
            model_name='claim',
            name='language',
            field=models.CharField(blank=True, choices=[('', 'Detect from the text'), ('ar', 'Arabic'), ('en', 'English')], db_default='', default='', help_text='For full-text search; left empty, Arabic script makes it Arabic, anything else English.', max_length=8),
        ),
        migrations.AddField(
            model_name='claim',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='evidence',
            name='language',
            field=models.CharField(blank=True, choices=[('', 'Detect from the text'), ('ar', 'Arabic'), ('en', 'English')], db_default='', default='', help_text='For full-text search; left empty, Arabic script makes it Arabic, anything else English.', max_length=8),
        ),
        migrations.RunPython(restore_sqlite_history_guard, migrations.RunPython.noop),
        migrations.RunPython(create_search_document, drop_search_document),
    ]
