using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClaudeActors.Journal;

/// <summary>Which exceptions are failures of the journal's database or files, and how to name them to a client.</summary>
internal static class JournalFaults
{
    /// <summary>True for a failure of the database, its connection or its files (not for a bug or a missing row).</summary>
    public static bool IsFault(Exception exception) =>
        exception is System.Data.Common.DbException or IOException or UnauthorizedAccessException or TimeoutException or SocketException;

    /// <summary>
    /// The cause in a few words without paths, host names or statements: SQLite's and PostgreSQL's messages can hold
    /// file names, so only their error codes are named. The log keeps the whole exception.
    /// </summary>
    public static string Describe(Exception exception) => exception switch
    {
        SqliteException sqlite => $"SQLite error {sqlite.SqliteErrorCode}: {SqliteNativeText(sqlite.SqliteErrorCode)}",
        PostgresException postgres => $"PostgreSQL error {postgres.SqlState}: {PostgresClass(postgres.SqlState)}",
        NpgsqlException { InnerException: TimeoutException } => "the PostgreSQL server did not answer in time",
        NpgsqlException => "the PostgreSQL server cannot be reached",
        JournalFileException file => file.Message,
        TimeoutException => "the journal did not answer in time",
        UnauthorizedAccessException => "the journal's files may not be written (permission denied)",
        IOException => "the journal's files cannot be read or written (I/O error)",
        _ => exception.GetType().Name,
    };

    private static string SqliteNativeText(int code) => SQLitePCL.raw.sqlite3_errstr(code).utf8_to_string() ?? "unknown error";

    private static string PostgresClass(string sqlState) => sqlState switch
    {
        "25006" => "the database is read-only",
        "42501" => "permission denied",
        "53100" => "the database server's disk is full",
        _ => (sqlState.Length >= 2 ? sqlState[..2] : sqlState) switch
        {
            "08" => "the connection failed",
            "23" => "a constraint was violated",
            "53" => "the database server is out of resources",
            "57" => "the database server is shutting down or was stopped by an operator",
            "58" => "the database server's system failed (I/O)",
            "P0" => "a trigger or function raised an error",
            "XX" => "the database server failed internally",
            _ => "the statement failed",
        },
    };
}
