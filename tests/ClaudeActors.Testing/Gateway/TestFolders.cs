namespace ClaudeActors.Testing.Gateway;

/// <summary>Removes a test's folder after its gateway stopped; what the server still removes itself meanwhile may race.</summary>
public static class TestFolders
{
    /// <summary>
    /// Deletes <paramref name="path"/> with everything in it. A part removed at the same time by the stopped server's
    /// last clean-up (a process's temp folder), or one that cannot be removed, is left to the system's temp cleaner.
    /// </summary>
    public static void DeleteQuietly(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
