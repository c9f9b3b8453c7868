using System.Globalization;

namespace HealthBlock.Fuzz.Tests;

/// <summary>
/// The test assembly's own entry point (the generated one is switched off): <c>dotnet HealthBlock.Fuzz.Tests.dll
/// --replay HEX --target NAME --time-budget-ms MS</c> replays one input in a child process, so a test of an input that
/// once hung cannot leave a busy thread in the test host. The test host itself never calls it.
/// </summary>
internal static class ReplayProgram
{
    public static int Main(string[] args)
    {
        string? replay = null;
        string? target = null;
        var options = new FuzzOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--replay":
                    replay = args[i + 1];
                    break;
                case "--target":
                    target = args[i + 1];
                    break;
                case "--time-budget-ms":
                    options = options with { TimeBudget = TimeSpan.FromMilliseconds(double.Parse(args[i + 1], CultureInfo.InvariantCulture)) };
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        if (replay is null || target is null)
        {
            Console.Error.WriteLine("usage: --replay HEX --target NAME [--time-budget-ms MS]");
            return 2;
        }

        using var targets = new HealthBlockTargets();
        return FuzzReplay.Run([targets[target]], Convert.FromHexString(replay), options, Console.Out);
    }
}
