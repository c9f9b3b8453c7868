using System.Diagnostics;
using HealthBlock.Crypto;

namespace HealthBlock.Gateway.Tests;

/// <summary>The real <c>healthblock gateway</c> as a child process, for crash tests.</summary>
internal sealed class GatewayProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatewayProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>The MQTT port the gateway bound (it binds port 0 and prints the port it got).</summary>
    public int MqttPort { get; private set; }

    public static async Task<GatewayProcess> StartAsync(string dataFolder, Uri ledger, string store, string passphrase, int windowMs = 200)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "healthblock.dll"), "gateway",
            "--data", dataFolder, "--ledger", ledger.ToString(), "--store", store,
            "--mqtt-listen", "0", "--mqtt-bind", "127.0.0.1",
            "--window-ms", windowMs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-gpio",
        })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[KeyFile.PassphraseVariable] = passphrase;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the gateway.");
        var child = new GatewayProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("gateway ", StringComparison.Ordinal) == true)
            {
                child._ready.TrySetResult(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (child._errors)
            {
                child._errors.AppendLine(e.Data);
            }
        };
        process.Exited += (_, _) => child._ready.TrySetException(new InvalidOperationException($"The gateway exited with code {process.ExitCode} before it was ready."));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ready = await child._ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var port = System.Text.RegularExpressions.Regex.Match(ready, @"mqtt-port=(\d+)");
        child.HttpUrl = new Uri(System.Text.RegularExpressions.Regex.Match(ready, @"http=(\S+)").Groups[1].Value);
        child.MqttPort = port.Success ? int.Parse(port.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : throw new InvalidOperationException($"no mqtt-port in '{ready}'");
        return child;
    }

    /// <summary>The gateway's loopback HTTP listener (admin endpoint, /healthz, /readyz, /metrics).</summary>
    public Uri HttpUrl { get; private set; } = null!;

    /// <summary>Everything the gateway wrote to stderr so far.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    private readonly System.Text.StringBuilder _errors = new();

    /// <summary>SIGTERM, as systemd stops a service; returns the exit code once the gateway has drained and exited.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!)
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(30_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
