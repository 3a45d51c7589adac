using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClaudeActors.Persistence;

/// <summary>
/// Names why the journal failed in a few words a client may read: the provider's error code and its class, never a
/// path, host name or statement (SQLite's and PostgreSQL's messages can hold them). Akka.Persistence hands the cause
/// over wrapped (in an <see cref="AggregateException"/> or its own exceptions): the innermost known cause is named.
/// </summary>
internal static class PersistenceFailures
{
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Cause(exception) switch
        {
            SqliteException sqlite => $"SQLite error {sqlite.SqliteErrorCode}: {SqliteText(sqlite.SqliteErrorCode)}",
            PostgresException postgres => $"PostgreSQL error {postgres.SqlState}: {PostgresClass(postgres.SqlState)}",
            NpgsqlException { InnerException: TimeoutException } => "the PostgreSQL server did not answer in time",
            NpgsqlException => "the PostgreSQL server cannot be reached",
            TimeoutException => "the journal did not answer in time",
            UnauthorizedAccessException => "the journal's files may not be written (permission denied)",
            IOException => "the journal's files cannot be read or written (I/O error)",
            SocketException => "the journal's database cannot be reached",
            var other => other.GetType().Name,
        };
    }

    /// <summary>The first database, I/O or time-out exception inside <paramref name="exception"/>, else the exception itself.</summary>
    private static Exception Cause(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (current is System.Data.Common.DbException or IOException or UnauthorizedAccessException or TimeoutException or SocketException)
            {
                return current;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is not null)
            {
                pending.Push(current.InnerException);
            }
        }

        return exception;
    }

    private static string SqliteText(int code) => SQLitePCL.raw.sqlite3_errstr(code).utf8_to_string() ?? "unknown error";

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
            "XX" => "the database server failed internally",
            _ => "the statement failed",
        },
    };
}
