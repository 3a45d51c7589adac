namespace ClaudeActors.Serialization;

/// <summary>
/// Marks a message, event or snapshot that may leave this node's memory: persisted in the journal or sent to another
/// node. Every such type is serialized by <c>JsonMessageSerializer</c> (System.Text.Json, a short stable manifest per
/// type), never by Akka's default serializer, so no CLR type name is ever written to the database.
/// </summary>
internal interface IClaudeActorsMessage;
