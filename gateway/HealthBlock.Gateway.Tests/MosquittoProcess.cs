using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HealthBlock.Gateway.Tests;

/// <summary>A test that starts its own <c>mosquitto</c> process; skipped with the reason (which CI counts as a failure) when the binary is missing.</summary>
public sealed class MosquittoBinaryFactAttribute : FactAttribute
{
    public MosquittoBinaryFactAttribute()
    {
        if (MosquittoProcess.Binary is null)
        {
            Skip = "no mosquitto binary on PATH or in /usr/sbin: install Mosquitto (.ci/services.sh does)";
        }
    }
}

/// <summary>A Mosquitto broker run from the configuration the gateway wrote, stopped (by its pid) at dispose.</summary>
internal sealed class MosquittoProcess : IDisposable
{
    private readonly Process _process;

    private MosquittoProcess(Process process) => _process = process;

    public static string? Binary { get; } = new[] { Environment.GetEnvironmentVariable("PATH") ?? "", "/usr/sbin:/usr/local/sbin" }
        .SelectMany(p => p.Split(':', StringSplitOptions.RemoveEmptyEntries))
        .Select(d => Path.Combine(d, "mosquitto"))
        .FirstOrDefault(File.Exists);

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public static async Task<MosquittoProcess> StartAsync(string configFile, int port)
    {
        var process = Process.Start(new ProcessStartInfo(Binary!, ["-c", configFile]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var log = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited ({process.ExitCode}): {log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return new MosquittoProcess(process);
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        process.Kill();
        throw new InvalidOperationException($"mosquitto did not listen on {port} within 10 s: {log}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
