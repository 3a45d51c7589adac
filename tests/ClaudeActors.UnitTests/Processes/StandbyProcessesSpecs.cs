using Akka.Actor;
using Akka.TestKit.Xunit2;
using ClaudeActors.Processes;
using ClaudeActors.UnitTests.Workers;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace ClaudeActors.UnitTests.Processes;

/// <summary>The standby set with a stand-in CLI: it keeps its count, refills after a take, and leaves nothing running.</summary>
public sealed class StandbyProcessesSpecs : TestKit
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly WorkerRig _rig = new(standby: 2);

    public StandbyProcessesSpecs(ITestOutputHelper output)
        : base(output: output)
    {
    }

    private IActorRef Start() => Sys.ActorOf(StandbyProcesses.Props(_rig.Launcher, NullLogger<StandbyProcesses>.Instance));

    private async Task<StandbyProcesses.Status> StatusAsync(IActorRef standby) =>
        await standby.Ask<StandbyProcesses.Status>(StandbyProcesses.GetStatus.Instance, Guard);

    private async Task WaitUntilReadyAsync(IActorRef standby, int ready) =>
        await AwaitConditionAsync(async () => (await StatusAsync(standby)).Ready == ready, Guard);

    [Fact]
    public async Task It_keeps_the_configured_count_ready_and_refills_after_a_take()
    {
        var standby = Start();
        await WaitUntilReadyAsync(standby, 2);
        Assert.Equal(2, _rig.Launcher.Starts);

        var taken = await standby.Ask<StandbyProcesses.StandbyTaken>(new StandbyProcesses.TakeStandby(WarmLaunch.Default), Guard);

        Assert.NotNull(taken.Process);
        Assert.False(taken.Process.HasExited);
        await WaitUntilReadyAsync(standby, 2);
        Assert.Equal(3, _rig.Launcher.Starts);

        // Ready means each process answered the initialize handshake, and none was reset: a fresh process carries no
        // /clear note.
        Assert.Equal(3, _rig.Cli.AllInput.Split("\"subtype\":\"initialize\"").Length - 1);
        Assert.DoesNotContain("/clear", _rig.Cli.AllInput, StringComparison.Ordinal);
        await _rig.Launcher.KillAsync(taken.Process, forgetConversation: true);
    }

    [Fact]
    public async Task A_model_alias_fits_a_standby_process_but_other_start_settings_do_not()
    {
        var standby = Start();
        await WaitUntilReadyAsync(standby, 2);

        var sonnet = await standby.Ask<StandbyProcesses.StandbyTaken>(new StandbyProcesses.TakeStandby(WarmLaunch.Default with { Model = "sonnet" }), Guard);
        var effort = await standby.Ask<StandbyProcesses.StandbyTaken>(new StandbyProcesses.TakeStandby(WarmLaunch.Default with { Effort = "high" }), Guard);
        var fullId = await standby.Ask<StandbyProcesses.StandbyTaken>(new StandbyProcesses.TakeStandby(WarmLaunch.Default with { Model = "claude-sonnet-4-6" }), Guard);

        Assert.NotNull(sonnet.Process);
        Assert.Null(effort.Process);
        Assert.Null(fullId.Process);
        await _rig.Launcher.KillAsync(sonnet.Process, forgetConversation: true);
    }

    [Fact]
    public async Task A_returned_process_is_shut_down_standby_keeps_only_fresh_processes()
    {
        var standby = Start();
        await WaitUntilReadyAsync(standby, 2);
        var first = (await standby.Ask<StandbyProcesses.StandbyTaken>(new StandbyProcesses.TakeStandby(WarmLaunch.Default), Guard)).Process!;
        await WaitUntilReadyAsync(standby, 2);

        standby.Tell(new StandbyProcesses.ReturnProcess(first, ForgetConversation: true));

        await AwaitConditionAsync(() => Task.FromResult(first.HasExited), Guard);
        Assert.Equal(2, (await StatusAsync(standby)).Ready);
    }

    [Fact]
    public async Task A_standby_process_that_dies_is_replaced()
    {
        var standby = Start();
        await WaitUntilReadyAsync(standby, 2);
        var victim = _rig.Cli.Pids[0];

        System.Diagnostics.Process.GetProcessById(victim).Kill();

        await AwaitConditionAsync(() => Task.FromResult(_rig.Launcher.Starts == 3), Guard);
        await WaitUntilReadyAsync(standby, 2);
    }

    [Fact]
    public async Task Stopping_it_kills_every_process_it_holds()
    {
        var standby = Start();
        await WaitUntilReadyAsync(standby, 2);
        var pids = _rig.Cli.Pids;

        Watch(standby);
        Sys.Stop(standby);
        ExpectTerminated(standby, Guard);

        await AwaitConditionAsync(() => Task.FromResult(pids.All(p => !ProtocolCli.IsRunning(p))), Guard);
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
