using System.Globalization;
using System.Runtime.InteropServices;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// Makes a running Mosquitto load the logins and ACL the gateway just wrote: Mosquitto reads its
/// <c>password_file</c> and <c>acl_file</c> again on SIGHUP (mosquitto(8)). The generated <c>mosquitto.conf</c>
/// names a <c>pid_file</c> in the gateway's Mosquitto folder and a <c>user</c> that is the gateway's own, so the
/// gateway may signal it. The pid is checked to belong to a process named <c>mosquitto</c> first (a stale pid file may
/// name a recycled pid), and nothing is signalled when no Mosquitto runs.
/// </summary>
internal static partial class MosquittoReload
{
    private const int SigHup = 1;

    /// <summary>Sends SIGHUP to the Mosquitto of <paramref name="folder"/>: the pid signalled, or why none was.</summary>
    public static (int? Pid, string? Problem) Signal(string folder)
    {
        var pidFile = Path.Combine(folder, MosquittoConfiguration.PidFile);
        if (!OperatingSystem.IsLinux())
        {
            return (null, "signalling Mosquitto is only done on Linux");
        }

        string text;
        try
        {
            text = File.ReadAllText(pidFile).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"no Mosquitto pid in {pidFile} ({e.Message})");
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 1)
        {
            return (null, $"{pidFile} holds no pid");
        }

        string name;
        try
        {
            name = File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"pid {pid} of {pidFile} does not run (a Mosquitto that has stopped)");
        }

        if (name != "mosquitto")
        {
            return (null, $"pid {pid} of {pidFile} is '{name}', not mosquitto");
        }

        return Kill(pid, SigHup) == 0
            ? (pid, null)
            : (null, $"SIGHUP to Mosquitto (pid {pid}) failed with errno {Marshal.GetLastPInvokeError()} (is it another user's?)");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
