using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HealthBlock.Paillier.Tests;

/// <summary>A test that needs paillier-bigint installed; reported as skipped, with the reason, without it.</summary>
public sealed class PaillierJsFactAttribute : FactAttribute
{
    public PaillierJsFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PaillierJs.Variable)))
        {
            Skip = $"{PaillierJs.Variable} is not set: install paillier-bigint with interop/paillier/install.sh (as .ci/services.sh does) and set it to the folder it prints";
        }
    }
}

/// <summary>Runs interop/paillier/paillier.mjs (paillier-bigint 3.4.3) with one JSON request per process.</summary>
internal static class PaillierJs
{
    public const string Variable = "HEALTHBLOCK_PAILLIER_JS";

    public static JsonNode Run(object request)
    {
        var folder = Environment.GetEnvironmentVariable(Variable)!;
        var start = new ProcessStartInfo("node", [Path.Combine(folder, "paillier.mjs")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.StandardInput.Write(JsonSerializer.Serialize(request));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException("paillier.mjs did not answer within 60 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"paillier.mjs failed ({process.ExitCode}): {stderr.Result}");
        }

        return JsonNode.Parse(stdout.Result) ?? throw new InvalidDataException("paillier.mjs printed nothing");
    }

    public static string Text(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    public static BigInteger Int(JsonNode? node) =>
        BigInteger.Parse(node?.GetValue<string>() ?? throw new InvalidDataException("missing integer"), NumberStyles.None, CultureInfo.InvariantCulture);

    public static List<BigInteger> Ints(JsonNode? node) =>
        node?.AsArray().Select(Int).ToList() ?? throw new InvalidDataException("missing array");
}
