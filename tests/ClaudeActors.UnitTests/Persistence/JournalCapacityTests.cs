using ClaudeActors.Persistence;

namespace ClaudeActors.UnitTests.Persistence;

public sealed class JournalCapacityTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("capacity-").FullName;

    [Fact]
    public void HasRoom_until_the_file_and_its_log_reach_the_limit()
    {
        var path = Path.Combine(_folder, "conversations.db");
        var capacity = new JournalCapacity(path, maxSizeMegabytes: 1);
        Assert.True(capacity.HasRoom());

        File.WriteAllBytes(path, new byte[600 * 1024]);
        Assert.True(capacity.HasRoom());
        File.WriteAllBytes(path + "-wal", new byte[600 * 1024]);
        Assert.False(capacity.HasRoom());
    }

    [Fact]
    public void HasRoomFor_refuses_what_would_pass_the_limit_and_takes_what_fits()
    {
        var path = Path.Combine(_folder, "conversations.db");
        var capacity = new JournalCapacity(path, maxSizeMegabytes: 1);
        File.WriteAllBytes(path, new byte[600 * 1024]);

        Assert.False(capacity.HasRoomFor(500 * 1024));
        Assert.True(capacity.HasRoomFor(300 * 1024));
        Assert.True(new JournalCapacity(path, 0).HasRoomFor(10L * 1024 * 1024));
    }

    [Fact]
    public void No_limit_and_PostgreSQL_always_have_room()
    {
        var path = Path.Combine(_folder, "conversations.db");
        File.WriteAllBytes(path, new byte[2 * 1024 * 1024]);
        Assert.True(new JournalCapacity(path, 0).HasRoom());
        Assert.True(JournalCapacity.For(new JournalOptions { Provider = JournalProvider.PostgreSql, ConnectionString = "Host=x", MaxSizeMegabytes = 1 }, _folder).HasRoom());
        Assert.False(JournalCapacity.For(new JournalOptions { MaxSizeMegabytes = 1 }, _folder).HasRoom());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
