using System.Diagnostics;

namespace HealthBlock.Fuzz;

/// <summary>
/// Runs one target over generated inputs on a worker thread, with a watchdog on the calling thread that flags an input
/// running over the time budget (the run stops there: the stuck thread cannot be killed and is left as a background
/// thread). Every other exception than the target's documented ones, every contract violation and every input over
/// the allocation budget is recorded with its input.
/// </summary>
public sealed class FuzzRunner(FuzzOptions options)
{
    private const int WorkerStackSize = 16 * 1024 * 1024;

    /// <summary>Runs <paramref name="inputs"/> generated inputs (deterministic for a given <paramref name="seed"/>).</summary>
    public FuzzResult Run(FuzzTarget target, long inputs, int seed)
    {
        ArgumentNullException.ThrowIfNull(target);
        var generator = new InputGenerator(target, seed, options.RandomShare);
        return RunInputs(target, inputs, generator.Next, generator.Learn);
    }

    /// <summary>Runs exactly the given inputs (a replay or a regression list).</summary>
    public FuzzResult Replay(FuzzTarget target, IReadOnlyList<byte[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(inputs);
        var i = 0;
        return RunInputs(target, inputs.Count, () => inputs[i++], _ => { });
    }

    private FuzzResult RunInputs(FuzzTarget target, long inputs, Func<byte[]> next, Action<byte[]> learn)
    {
        var state = new WorkerState();
        var crashes = new Dictionary<string, Crash>(StringComparer.Ordinal);
        long accepted = 0, rejected = 0, crashCount = 0, knownCount = 0, skipped = 0, done = 0;
        var clock = Stopwatch.StartNew();
        FileStream? trace = options.TraceFile is null ? null : new FileStream(options.TraceFile, FileMode.Create, FileAccess.Write, FileShare.Read, 1);

        void Record(Crash crash, byte[] input)
        {
            var known = target.KnownIssues.FirstOrDefault(k => Matches(k, crash, input));
            crash = crash with { KnownIssueId = known?.Id };
            lock (crashes)
            {
                crashCount++;
                if (known is not null)
                {
                    knownCount++;
                }

                if (crashes.Count < options.MaxCrashesKept)
                {
                    crashes.TryAdd(crash.Signature, crash);
                }
            }
        }

        var worker = new Thread(
            () =>
            {
                for (long n = 0; n < inputs; n++)
                {
                    byte[] input;
                    try
                    {
                        input = next();
                    }
                    catch (Exception e)
                    {
                        // A bug of the harness itself: reported like a crash so that it is not missed.
                        Record(new Crash(target.Name, CrashKind.Exception, e.GetType().FullName, "input generator failed: " + e.Message, e.ToString(), string.Empty), []);
                        Interlocked.Increment(ref done);
                        continue;
                    }

                    if (options.SkipKnownIssueInputs && target.KnownIssues.Any(k => SkipMatches(k, input)))
                    {
                        Interlocked.Increment(ref skipped);
                        Interlocked.Increment(ref done);
                        continue;
                    }
                    if (trace is not null)
                    {
                        trace.SetLength(0);
                        trace.Write(input);
                        trace.Flush();
                    }

                    var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                    Volatile.Write(ref state.Current, input);
                    Volatile.Write(ref state.Started, Stopwatch.GetTimestamp());
                    try
                    {
                        var outcome = target.Run(input);
                        if (outcome == FuzzOutcome.Accepted)
                        {
                            accepted++;
                            learn(input);
                        }
                        else
                        {
                            rejected++;
                        }
                    }
                    catch (Exception e) when (target.IsExpected(e))
                    {
                        rejected++;
                    }
                    catch (FuzzContractException e)
                    {
                        Record(new Crash(target.Name, CrashKind.Contract, null, e.Message, null, Convert.ToHexStringLower(input)), input);
                    }
                    catch (Exception e)
                    {
                        Record(new Crash(target.Name, CrashKind.Exception, e.GetType().FullName, e.Message, e.ToString(), Convert.ToHexStringLower(input)), input);
                    }

                    Volatile.Write(ref state.Started, 0L);
                    var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                    if (allocated > options.AllocationBudget)
                    {
                        Record(new Crash(target.Name, CrashKind.Memory, null, $"allocated {allocated:N0} bytes for a {input.Length}-byte input", null, Convert.ToHexStringLower(input)), input);
                    }

                    Interlocked.Increment(ref done);
                    if (Volatile.Read(ref state.Stop))
                    {
                        return;
                    }
                }
            },
            WorkerStackSize)
        {
            IsBackground = true,
            Name = "fuzz " + target.Name,
        };

        worker.Start();
        var budgetTicks = (long)(options.TimeBudget.TotalSeconds * Stopwatch.Frequency);
        while (!worker.Join(50))
        {
            var started = Volatile.Read(ref state.Started);
            if (started != 0 && Stopwatch.GetTimestamp() - started > budgetTicks)
            {
                var input = Volatile.Read(ref state.Current) ?? [];
                Volatile.Write(ref state.Stop, true);
                Record(
                    new Crash(
                        target.Name,
                        CrashKind.Hang,
                        null,
                        $"still running after {options.TimeBudget.TotalSeconds:0.#} s (time budget); the run stops here",
                        null,
                        Convert.ToHexStringLower(input)),
                    input);
                break;
            }
        }

        clock.Stop();
        trace?.Dispose();
        lock (crashes)
        {
            return new FuzzResult(target, Interlocked.Read(ref done), accepted, rejected, crashCount, knownCount, Interlocked.Read(ref skipped), [.. crashes.Values], clock.Elapsed);
        }
    }

    private static bool Matches(KnownIssue issue, Crash crash, byte[] input)
    {
        try
        {
            return issue.MatchesCrash?.Invoke(crash, input) == true || (crash.Kind == CrashKind.Hang && issue.MatchesInput?.Invoke(input) == true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A matcher that cannot read the input does not match it.
            return false;
        }
    }

    private static bool SkipMatches(KnownIssue issue, byte[] input)
    {
        try
        {
            return issue.MatchesInput?.Invoke(input) == true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    private sealed class WorkerState
    {
        public byte[]? Current;
        public long Started;
        public bool Stop;
    }
}
