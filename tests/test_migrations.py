"""The migrations are the schema: one head, and upgrading from empty gives exactly the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select

from intake.database import include_in_autogenerate
from intake.extensions import db
from intake.reference.models import County, State


def test_migrations_have_a_single_head(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, heads


def test_upgrade_from_empty_matches_the_models(app):
    # `database_url` was upgraded from an empty database by the migrations.
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "render_as_batch": True,
                "include_object": include_in_autogenerate,
            },
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_reference_data_is_seeded(app):
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(State)).scalar_one() == 56
        counties = db.session.execute(select(func.count()).select_from(County)).scalar_one()
        assert counties > 3000
        webb = db.session.get(County, "48479")
        assert (webb.name, webb.state_code) == ("Webb County", "TX")
