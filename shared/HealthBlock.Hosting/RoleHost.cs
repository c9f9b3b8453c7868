using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Hosting;

/// <summary>
/// The .NET Generic Host every long-running role runs in: console logging at the role's level (<see cref="RoleLogging"/>),
/// the console lifetime (SIGTERM and Ctrl-C stop the host, and the role drains in its stop), the role itself as a
/// hosted service, and <see cref="SystemdNotifications"/> (READY, STOPPING, watchdog heartbeats).
/// </summary>
public static class RoleHost
{
    /// <summary>How long the role may take to stop after SIGTERM (drain, flush alerts) before the host gives up.</summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(35);

    /// <summary>
    /// Builds the host of a role: <paramref name="role"/> starts and stops it; <paramref name="health"/> answers the
    /// watchdog; <paramref name="notifier"/> (default: this process's environment) receives systemd notifications.
    /// </summary>
    public static IHost Build(string name, LogLevel level, IRoleHealth health, Func<IServiceProvider, RoleService> role, SystemdNotifier? notifier = null, TimeSpan? shutdownTimeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(role);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "healthblock-" + name });
        RoleLogging.Configure(builder.Logging, level);
        builder.Services.AddSingleton<IHostLifetime, Microsoft.Extensions.Hosting.Internal.ConsoleLifetime>();
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout ?? DefaultShutdownTimeout);
        builder.Services.AddSingleton(notifier ?? SystemdNotifier.FromEnvironment());
        builder.Services.AddSingleton(health);
        builder.Services.AddSingleton<IHostedService>(role);
        builder.Services.AddHostedService<SystemdNotifications>();
        return builder.Build();
    }

    /// <summary>
    /// Starts <paramref name="host"/> and waits until it stops: on <paramref name="cancellationToken"/>, SIGTERM or
    /// Ctrl-C. A role that fails to start throws out of here (after the host has stopped what did start).
    /// </summary>
    public static async Task RunAsync(IHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }
}
