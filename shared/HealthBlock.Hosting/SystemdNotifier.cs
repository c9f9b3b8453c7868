using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace HealthBlock.Hosting;

/// <summary>
/// Sends service-manager notifications the way <c>sd_notify(3)</c> does: one datagram of newline-separated
/// <c>KEY=VALUE</c> assignments to the <c>AF_UNIX</c> socket named by <c>$NOTIFY_SOCKET</c> (a path, or an abstract
/// socket when it starts with <c>@</c>). Without the variable it does nothing, as sd_notify does. The watchdog interval
/// comes from <c>$WATCHDOG_USEC</c>, for this process only when <c>$WATCHDOG_PID</c> is unset or names it
/// (systemd.service(5), <c>WatchdogSec=</c>).
/// </summary>
/// <remarks>
/// Microsoft.Extensions.Hosting.Systemd's <c>UseSystemd</c> turns itself on only when the parent process is systemd (or
/// the process is pid 1), never sends <c>WATCHDOG=1</c>, and so cannot be exercised by a test with a fake socket; this
/// class follows the protocol itself and is on whenever <c>$NOTIFY_SOCKET</c> is set.
/// </remarks>
public sealed class SystemdNotifier
{
    /// <summary>The variable naming the notification socket.</summary>
    public const string SocketVariable = "NOTIFY_SOCKET";

    /// <summary>The variable with the watchdog timeout in microseconds.</summary>
    public const string WatchdogVariable = "WATCHDOG_USEC";

    /// <summary>The variable naming the process the watchdog timeout is for.</summary>
    public const string WatchdogPidVariable = "WATCHDOG_PID";

    private readonly string? _socketPath;

    private SystemdNotifier(string? socketPath, TimeSpan? watchdog)
    {
        _socketPath = socketPath;
        WatchdogTimeout = watchdog;
    }

    /// <summary>True when a socket is named: notifications are sent.</summary>
    public bool IsEnabled => _socketPath is not null;

    /// <summary>The watchdog timeout systemd set for this process, or null (no watchdog).</summary>
    public TimeSpan? WatchdogTimeout { get; }

    /// <summary>The interval at which to send <c>WATCHDOG=1</c>: half the timeout, as sd_watchdog_enabled(3) advises.</summary>
    public TimeSpan? WatchdogInterval => WatchdogTimeout / 2;

    /// <summary>The notifier of this process's environment.</summary>
    public static SystemdNotifier FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable, Environment.ProcessId);

    /// <summary>The notifier an environment describes (tests give their own).</summary>
    public static SystemdNotifier FromEnvironment(Func<string, string?> environment, int processId)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var socket = environment(SocketVariable);
        TimeSpan? watchdog = null;
        if (ulong.TryParse(environment(WatchdogVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0
            && (environment(WatchdogPidVariable) is not { Length: > 0 } pid || pid == processId.ToString(CultureInfo.InvariantCulture)))
        {
            watchdog = TimeSpan.FromMicroseconds(usec);
        }

        return new SystemdNotifier(string.IsNullOrEmpty(socket) ? null : socket, watchdog);
    }

    /// <summary>Sends <paramref name="state"/> (e.g. <c>READY=1</c>); false when disabled or the socket is gone.</summary>
    public bool Notify(string state)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        if (_socketPath is null)
        {
            return false;
        }

        var path = _socketPath[0] == '@' ? "\0" + _socketPath[1..] : _socketPath;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Send(Encoding.UTF8.GetBytes(state));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
