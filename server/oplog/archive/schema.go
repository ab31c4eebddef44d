package archive

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// migrations are applied in order; migrations[i] takes the schema from
// version i to i+1. Never edit one that has shipped: add the next.
var migrations = []string{
	`create table boards (
		room        text primary key,
		epoch       bigint not null,
		seq         bigint not null,
		authors     bigint not null,
		snapseq     bigint not null,
		snapshot    bytea,
		applied     bytea not null,
		state       text not null check (state in ('live', 'archiving', 'archived', 'restoring')),
		gen         bigint not null,
		lease_until timestamptz,
		updated_at  timestamptz not null default now()
	);
	create index boards_state on boards (state);
	create table ops (
		room   text not null,
		seq    bigint not null,
		author bigint not null,
		op     bytea not null,
		primary key (room, seq)
	);
	create table checkpoints (
		room     text not null,
		seq      bigint not null,
		snapshot bytea not null,
		primary key (room, seq)
	);
	create table versions (
		room   text not null,
		seq    bigint not null,
		record bytea not null,
		primary key (room, seq)
	);
	create table images (
		room text not null,
		id   text not null,
		data bytea not null,
		primary key (room, id)
	);`,
}

// SchemaVersion is the version this build migrates to.
var SchemaVersion = len(migrations)

// migrateLock is the advisory lock key replicas take while migrating.
const migrateLock = 0x736b657463687061 // "sketchpa"

// migrate brings the schema to SchemaVersion. A database at a newer
// version (a newer build ran) is refused rather than written with an
// older idea of the tables.
func migrate(ctx context.Context, conn *pgx.Conn) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, `select pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `create table if not exists sketchpad_schema (version int not null)`); err != nil {
		return err
	}
	var v int
	err = tx.QueryRow(ctx, `select version from sketchpad_schema`).Scan(&v)
	switch {
	case err == pgx.ErrNoRows:
		if _, err := tx.Exec(ctx, `insert into sketchpad_schema (version) values (0)`); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if v > SchemaVersion {
		return fmt.Errorf("the database's schema is version %d, newer than this build's %d: run a newer build", v, SchemaVersion)
	}
	for ; v < SchemaVersion; v++ {
		if _, err := tx.Exec(ctx, migrations[v]); err != nil {
			return fmt.Errorf("migrate schema to version %d: %w", v+1, err)
		}
	}
	if _, err := tx.Exec(ctx, `update sketchpad_schema set version = $1`, v); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
