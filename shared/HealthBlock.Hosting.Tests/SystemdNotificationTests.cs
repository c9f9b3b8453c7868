using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Hosting.Tests;

public sealed class SystemdNotificationTests
{
    [Fact]
    public void Without_NOTIFY_SOCKET_nothing_is_sent_and_there_is_no_watchdog()
    {
        var notifier = SystemdNotifier.FromEnvironment(_ => null, 42);

        Assert.False(notifier.IsEnabled);
        Assert.Null(notifier.WatchdogInterval);
        Assert.False(notifier.Notify("READY=1"));
    }

    [Fact]
    public void The_watchdog_interval_is_half_of_WATCHDOG_USEC_and_only_for_the_process_WATCHDOG_PID_names()
    {
        var env = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = "/run/x", ["WATCHDOG_USEC"] = "3000000" };
        Assert.Equal(TimeSpan.FromSeconds(1.5), SystemdNotifier.FromEnvironment(env.GetValueOrDefault, 42).WatchdogInterval);

        env["WATCHDOG_PID"] = "42";
        Assert.Equal(TimeSpan.FromSeconds(1.5), SystemdNotifier.FromEnvironment(env.GetValueOrDefault, 42).WatchdogInterval);

        env["WATCHDOG_PID"] = "43";
        Assert.Null(SystemdNotifier.FromEnvironment(env.GetValueOrDefault, 42).WatchdogInterval);
    }

    [Fact]
    public async Task A_role_host_sends_READY_then_WATCHDOG_heartbeats_while_live_then_STOPPING_to_the_notify_socket()
    {
        using var temp = new TempFolder();
        using var socket = new FakeNotifySocket(temp.Sub("notify"));
        var env = new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = socket.Path,
            ["WATCHDOG_USEC"] = (200_000).ToString(CultureInfo.InvariantCulture),
        };
        var live = true;
        var health = new RoleHealth(() => live ? HealthState.Healthy("running") : HealthState.Unhealthy("hung"), () => HealthState.Healthy("serving"));
        var started = false;
        using var host = RoleHost.Build("test", LogLevel.None, health, _ => new RoleService(_ => { started = true; return Task.CompletedTask; }, _ => Task.CompletedTask), SystemdNotifier.FromEnvironment(env.GetValueOrDefault, Environment.ProcessId));

        await host.StartAsync();
        Assert.True(started);
        await Eventually.WaitUntilAsync(() => socket.Messages.Count(m => m == "WATCHDOG=1") >= 3, "three watchdog heartbeats");
        live = false;
        var beforeHang = socket.Messages.Count(m => m == "WATCHDOG=1");
        await Task.Delay(600);
        var afterHang = socket.Messages.Count(m => m == "WATCHDOG=1");
        await host.StopAsync();
        await Eventually.WaitUntilAsync(() => socket.Messages.Any(m => m.StartsWith("STOPPING=1", StringComparison.Ordinal)), "STOPPING=1");

        var messages = socket.Messages;
        Assert.Equal("READY=1\nSTATUS=serving", messages[0]);
        Assert.InRange(afterHang - beforeHang, 0, 1); // at most the beat already in flight when liveness failed
        Assert.StartsWith("STOPPING=1", messages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_that_fails_to_start_throws_out_of_RunAsync_and_is_not_stopped()
    {
        var stopped = false;
        using var host = RoleHost.Build("test", LogLevel.None, RoleHealth.WhileRunning(() => true), _ => new RoleService(_ => throw new StartupFailedException("--thing 'x' is wrong"), _ => { stopped = true; return Task.CompletedTask; }), SystemdNotifier.FromEnvironment(_ => null, 1));

        var e = await Assert.ThrowsAsync<StartupFailedException>(() => RoleHost.RunAsync(host, CancellationToken.None));

        Assert.Equal("--thing 'x' is wrong", e.Message);
        Assert.False(stopped);
    }
}
