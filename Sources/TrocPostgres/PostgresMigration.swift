package import PostgresNIO

/// One named step of the PostgreSQL schema: statements the migrator runs in order, in its transaction, exactly once.
package struct PostgresMigration: Sendable {
    /// The name recorded in `troc_migration` once applied; a migration that has shipped is never edited.
    package var name: String
    /// The DDL and seed rows, in order.
    package var statements: [PostgresQuery]

    /// A migration from its name and statements.
    package init(name: String, statements: [PostgresQuery]) {
        self.name = name
        self.statements = statements
    }
}
