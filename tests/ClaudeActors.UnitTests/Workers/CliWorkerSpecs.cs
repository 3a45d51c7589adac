using Akka.Actor;
using Akka.Streams;
using Akka.TestKit.Xunit2;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Workers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ClaudeActors.UnitTests.Workers;

/// <summary>The worker pool with a stand-in CLI: routing to idle workers, warm reuse, and what happens to uncertain processes.</summary>
public sealed class CliWorkerSpecs : TestKit, IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly WorkerRig _rig = new();

    public CliWorkerSpecs(ITestOutputHelper output)
        : base(output: output)
    {
    }

    private (IActorRef Pool, CliWorkerClient Client) StartPool(int workers = 2, IActorRef? standby = null)
    {
        _rig.PoolOptions.MaxConcurrency = workers;
        var props = CliWorker.Props(
            _rig.Launcher, standby ?? ActorRefs.Nobody, _rig.Claims, _rig.PoolOptions, Sys.Materializer(), TimeProvider.System, NullLogger<CliWorker>.Instance);
        var pool = Sys.ActorOf(props.WithRouter(new IdleWorkerPool(workers, _rig.Claims, CliWorker.PoolStrategy())));
        var admission = new WorkerPool(Options.Create(_rig.PoolOptions), TimeProvider.System);
        var client = new CliWorkerClient(admission, new FixedActor<CliWorkerPool>(pool), Sys, Options.Create(_rig.PoolOptions), TimeProvider.System);
        return (pool, client);
    }

    private static ChatTurnRequest Request(string prompt, params CliMessage[] history) =>
        new() { Prompt = [new CliTextBlock(prompt)], History = history };

    private static async Task<List<ChatEvent>> RunAsync(CliWorkerClient client, ChatTurnRequest request, CancellationToken token = default)
    {
        var events = new List<ChatEvent>();
        await foreach (var ev in client.RunAsync(request, attempt: 0, token).WithCancellation(token))
        {
            events.Add(ev);
        }

        return events;
    }

    [Fact]
    public async Task Two_requests_at_once_run_on_two_workers_and_neither_waits_for_the_other()
    {
        var (_, client) = StartPool(workers: 2);

        var held = RunAsync(client, Request("hold"));
        await AwaitConditionAsync(() => Task.FromResult(_rig.Cli.AllInput.Contains("hold", StringComparison.Ordinal)), Guard);
        var free = await RunAsync(client, Request("hi")).WaitAsync(Guard);

        Assert.False(held.IsCompleted);
        Assert.IsType<ChatCompleted>(free[^1]);
        Assert.Equal(2, _rig.Launcher.Starts);
        _rig.Cli.Release();
        Assert.IsType<ChatCompleted>((await held.WaitAsync(Guard))[^1]);
    }

    [Fact]
    public async Task Requests_in_a_row_run_on_one_warm_process_reset_with_clear_in_between()
    {
        var (_, client) = StartPool(workers: 2);

        var first = await RunAsync(client, Request("first")).WaitAsync(Guard);
        await AwaitConditionAsync(() => Task.FromResult(_rig.Claims.BusyCount == 0), Guard);
        var second = await RunAsync(client, Request("second")).WaitAsync(Guard);

        Assert.IsType<ChatCompleted>(first[^1]);
        Assert.IsType<ChatCompleted>(second[^1]);
        Assert.Equal(1, _rig.Launcher.Starts);
        var input = _rig.Cli.AllInput;
        Assert.True(
            input.IndexOf("first", StringComparison.Ordinal) < input.IndexOf("/clear", StringComparison.Ordinal)
            && input.IndexOf("/clear", StringComparison.Ordinal) < input.IndexOf("second", StringComparison.Ordinal),
            input);
    }

    [Fact]
    public async Task A_model_alias_is_switched_with_set_model_on_the_warm_process()
    {
        var (_, client) = StartPool(workers: 1);

        await RunAsync(client, Request("first")).WaitAsync(Guard);
        await RunAsync(client, Request("second") with { Model = "sonnet" }).WaitAsync(Guard);

        Assert.Equal(1, _rig.Launcher.Starts);
        Assert.Contains("\"subtype\":\"set_model\",\"model\":\"sonnet\"", _rig.Cli.AllInput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_turn_kills_its_process_and_the_next_request_gets_another()
    {
        var (_, client) = StartPool(workers: 1);

        var failure = await Assert.ThrowsAsync<ChatFailure>(() => RunAsync(client, Request("fail")).WaitAsync(Guard));
        var failed = _rig.Cli.PidOf("fail");
        await AwaitConditionAsync(() => Task.FromResult(!ProtocolCli.IsRunning(failed)), Guard);
        await AwaitConditionAsync(() => Task.FromResult(_rig.Launcher.Starts == 2), Guard);
        var next = await RunAsync(client, Request("hi")).WaitAsync(Guard);

        Assert.Equal(ChatFailureKind.UpstreamError, failure.Kind);
        Assert.IsType<ChatCompleted>(next[^1]);
        Assert.NotEqual(failed, _rig.Cli.PidOf("hi"));
    }

    [Fact]
    public async Task A_caller_that_leaves_mid_turn_kills_the_process_and_a_replacement_is_started()
    {
        var (_, client) = StartPool(workers: 1);
        using var leave = new CancellationTokenSource();

        var events = client.RunAsync(Request("hang"), attempt: 0, leave.Token).GetAsyncEnumerator(leave.Token);
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Guard));
        Assert.IsType<ChatStarted>(events.Current);
        var hung = _rig.Cli.PidOf("hang");
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => events.MoveNextAsync().AsTask().WaitAsync(Guard));
        await events.DisposeAsync();

        await AwaitConditionAsync(() => Task.FromResult(!ProtocolCli.IsRunning(hung)), Guard);
        await AwaitConditionAsync(() => Task.FromResult(_rig.Launcher.Starts == 2), Guard);
        var next = await RunAsync(client, Request("hi")).WaitAsync(Guard);
        Assert.IsType<ChatCompleted>(next[^1]);
        Assert.NotEqual(hung, _rig.Cli.PidOf("hi"));
    }

    [Fact]
    public async Task A_turn_past_its_time_out_is_a_Timeout_and_its_process_is_killed()
    {
        _rig.PoolOptions.TimeoutSeconds = 0.5;
        var (_, client) = StartPool(workers: 1);

        var failure = await Assert.ThrowsAsync<ChatFailure>(() => RunAsync(client, Request("hang")).WaitAsync(Guard));

        Assert.Equal(ChatFailureKind.Timeout, failure.Kind);
        Assert.True(failure.IsTransient);
        var hung = _rig.Cli.PidOf("hang");
        await AwaitConditionAsync(() => Task.FromResult(!ProtocolCli.IsRunning(hung)), Guard);
    }

    [Fact]
    public async Task A_worker_that_crashes_is_restarted_and_its_warm_process_killed()
    {
        var (_, client) = StartPool(workers: 1);
        await RunAsync(client, Request("warm up")).WaitAsync(Guard);
        var warm = _rig.Cli.PidOf("warm up");

        // The CLI's projects folder is a file: writing a history's transcript fails inside the server.
        Directory.CreateDirectory(_rig.ConfigDirectory);
        var projects = Path.Combine(_rig.ConfigDirectory, "projects");
        if (Directory.Exists(projects))
        {
            Directory.Delete(projects, recursive: true);
        }

        await File.WriteAllTextAsync(projects, "");
        var failure = await Assert.ThrowsAsync<ChatFailure>(() =>
            RunAsync(client, Request("again", new CliMessage(CliRole.User, [new CliTextBlock("before")]))).WaitAsync(Guard));

        Assert.Equal(ChatFailureKind.Internal, failure.Kind);
        await AwaitConditionAsync(() => Task.FromResult(!ProtocolCli.IsRunning(warm)), Guard);
        File.Delete(projects);
        var next = await RunAsync(client, Request("hi")).WaitAsync(Guard);
        Assert.IsType<ChatCompleted>(next[^1]);
        Assert.NotEqual(warm, _rig.Cli.PidOf("hi"));
    }

    [Fact]
    public async Task A_request_with_history_runs_on_a_one_shot_process_and_leaves_the_warm_one_alone()
    {
        var (_, client) = StartPool(workers: 1);
        await RunAsync(client, Request("warm up")).WaitAsync(Guard);
        var warm = _rig.Cli.PidOf("warm up");

        var answer = await RunAsync(client, Request("and now?", new CliMessage(CliRole.User, [new CliTextBlock("before")]))).WaitAsync(Guard);

        Assert.IsType<ChatCompleted>(answer[^1]);
        Assert.Equal(2, _rig.Launcher.Starts);
        Assert.True(ProtocolCli.IsRunning(warm));
        var oneShot = _rig.Cli.PidOf("and now?");
        await AwaitConditionAsync(() => Task.FromResult(!ProtocolCli.IsRunning(oneShot)), Guard);
        Assert.Contains("--resume=", string.Concat(Directory.GetFiles(_rig.Cli.Folder, "argv.*").Select(File.ReadAllText)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ask_that_reaches_its_worker_after_its_deadline_is_dropped()
    {
        var (pool, client) = StartPool(workers: 1);
        var late = new CliWorker.RunStatelessAttempt(Request("too late"), DateTimeOffset.UtcNow.AddMinutes(-1));

        pool.Tell(late, TestActor);
        var answer = await RunAsync(client, Request("in time")).WaitAsync(Guard);

        Assert.IsType<ChatCompleted>(answer[^1]);
        Assert.DoesNotContain("too late", _rig.Cli.AllInput, StringComparison.Ordinal);
        Assert.Contains("in time", _rig.Cli.AllInput, StringComparison.Ordinal);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _rig.Dispose();
        }
    }
}
