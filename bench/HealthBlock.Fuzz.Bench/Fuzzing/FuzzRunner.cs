using System.Diagnostics;
using System.Text;

namespace HealthBlock.Fuzz;

/// <summary>Limits of one fuzz run.</summary>
public sealed record FuzzOptions
{
    /// <summary>Longest one input may take before it counts as a hang (an infinite loop or an unbounded computation).</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most bytes one input may make the decoder allocate before it counts as a memory blow-up.</summary>
    public long AllocationBudget { get; init; } = 64L * 1024 * 1024;

    /// <summary>Share of inputs that are purely random bytes (the rest are mutations of valid encodings).</summary>
    public double RandomShare { get; init; } = 0.15;

    /// <summary>Distinct crashes kept per target (all are counted).</summary>
    public int MaxCrashesKept { get; init; } = 20;

    /// <summary>Skip the inputs a target's <see cref="KnownIssue.MatchesInput"/> recognises (CI runs: a known hang would leave a busy thread).</summary>
    public bool SkipKnownIssueInputs { get; init; }

    /// <summary>When set, each input is written here before it runs (to recover the input of a stack overflow, which kills the process).</summary>
    public string? TraceFile { get; init; }
}

/// <summary>What kind of failure a crash is.</summary>
public enum CrashKind
{
    /// <summary>An exception other than the decoder's documented ones.</summary>
    Exception,

    /// <summary>A decoded value broke the format's contract (e.g. re-encodes to other bytes).</summary>
    Contract,

    /// <summary>The input ran over the time budget.</summary>
    Hang,

    /// <summary>The input made the decoder allocate more than the allocation budget.</summary>
    Memory,
}

/// <summary>One failing input.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Kind">What failed.</param>
/// <param name="ExceptionType">The exception's type, if any.</param>
/// <param name="Message">Its message or what was measured.</param>
/// <param name="StackTrace">Its stack trace, if any.</param>
/// <param name="InputHex">The input, lowercase hex.</param>
public sealed record Crash(string Target, CrashKind Kind, string? ExceptionType, string Message, string? StackTrace, string InputHex)
{
    /// <summary>The <see cref="Fuzz.KnownIssue.Id"/> this crash belongs to, or null for a new one.</summary>
    public string? KnownIssueId { get; init; }

    /// <summary>Groups crashes with the same cause: kind, exception type and the innermost frame.</summary>
    public string Signature => $"{Kind}:{ExceptionType}:{KnownIssueId}:{StackTrace?.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal))?.Trim()}";

    /// <summary>A multi-line report.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(Target).Append(": ").Append(Kind);
        if (KnownIssueId is not null)
        {
            text.Append(" [known issue ").Append(KnownIssueId).Append(']');
        }

        if (ExceptionType is not null)
        {
            text.Append(' ').Append(ExceptionType);
        }

        text.Append(": ").Append(Message).Append('\n');
        text.Append("  input (").Append(InputHex.Length / 2).Append(" bytes): ").Append(InputHex).Append('\n');
        if (StackTrace is not null)
        {
            text.Append(StackTrace).Append('\n');
        }

        return text.ToString();
    }
}

/// <summary>The numbers of one target's run.</summary>
/// <param name="Target">The target.</param>
/// <param name="Inputs">Inputs run.</param>
/// <param name="Accepted">Inputs the decoder accepted.</param>
/// <param name="Rejected">Inputs refused with the decoder's own error type.</param>
/// <param name="CrashCount">Failing inputs (all kinds, known issues included).</param>
/// <param name="KnownCrashCount">Failing inputs of known issues.</param>
/// <param name="Skipped">Inputs of known issues not run (<see cref="FuzzOptions.SkipKnownIssueInputs"/>).</param>
/// <param name="Crashes">Distinct failures (by <see cref="Crash.Signature"/>), with one input each.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record FuzzResult(FuzzTarget Target, long Inputs, long Accepted, long Rejected, long CrashCount, long KnownCrashCount, long Skipped, IReadOnlyList<Crash> Crashes, TimeSpan Elapsed)
{
    /// <summary>Failing inputs not explained by a known issue.</summary>
    public long NewCrashCount => CrashCount - KnownCrashCount;

    /// <summary>Distinct new failures.</summary>
    public IReadOnlyList<Crash> NewCrashes => [.. Crashes.Where(c => c.KnownIssueId is null)];

    /// <summary>Inputs per second.</summary>
    public double InputsPerSecond => Elapsed.TotalSeconds > 0 ? Inputs / Elapsed.TotalSeconds : 0;

    /// <summary>True when the run was cut short by a hang (the decoder's thread is abandoned).</summary>
    public bool Hung => Crashes.Any(c => c.Kind == CrashKind.Hang);
}

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

/// <summary>
/// Makes the inputs of one target: purely random bytes, byte-level mutations of the seeds and of accepted inputs
/// (a small growing corpus), splices between them, and the shape's structure-aware mutations.
/// </summary>
public sealed class InputGenerator
{
    private const int MaxCorpus = 256;

    private readonly FuzzTarget _target;
    private readonly Random _random;
    private readonly double _randomShare;
    private readonly List<byte[]> _corpus;
    private readonly CborMutator? _cbor;
    private readonly JsonMutator? _json;

    /// <summary>Creates the generator.</summary>
    public InputGenerator(FuzzTarget target, int seed, double randomShare)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        _random = new Random(seed ^ StableHash(target.Name));
        _randomShare = randomShare;
        _corpus = [.. target.Seeds];
        _cbor = target.Shape == InputShape.Cbor ? new CborMutator(target.Seeds) : null;
        _json = target.Shape == InputShape.Json ? new JsonMutator(target.Seeds) : null;
    }

    /// <summary>The next input.</summary>
    public byte[] Next()
    {
        if (_random.NextDouble() < _randomShare || _corpus.Count == 0)
        {
            return _target.Shape == InputShape.Text ? RandomText() : ByteMutator.RandomBytes(_random, _target.MaxRandomLength);
        }

        var structured = _random.Next(2) == 0;
        if (structured)
        {
            switch (_target.Shape)
            {
                case InputShape.Cbor when _cbor is { HasSeeds: true }:
                    return Maybe(_cbor.Next(_random));
                case InputShape.Json when _json is { HasSeeds: true }:
                    return Maybe(_json.Next(_random));
                case InputShape.Pem:
                    return PemMutator.Next(_random, Pick(), _corpus) ?? ByteMutator.Mutate(_random, Pick(), _corpus);
                case InputShape.Text:
                    return Base32Mutation(Pick());
            }
        }

        return ByteMutator.Mutate(_random, Pick(), _corpus);
    }

    /// <summary>Keeps some accepted inputs as further starting points.</summary>
    public void Learn(byte[] accepted)
    {
        if (_random.Next(16) != 0)
        {
            return;
        }

        if (_corpus.Count < MaxCorpus)
        {
            _corpus.Add(accepted);
        }
        else
        {
            _corpus[_target.Seeds.Count + _random.Next(MaxCorpus - _target.Seeds.Count)] = accepted;
        }
    }

    private byte[] Pick() => _corpus[_random.Next(_corpus.Count)];

    private byte[] Maybe(byte[] structured) => _random.Next(5) == 0 ? ByteMutator.Mutate(_random, structured, _corpus) : structured;

    private byte[] RandomText()
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567bafkreiQmABCXYZ019=-_ +/";
        var length = _random.Next(2) == 0 ? 59 + _random.Next(-3, 4) : _random.Next(_target.MaxRandomLength);
        var text = new byte[Math.Max(0, length)];
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = _random.Next(10) == 0 ? (byte)_random.Next(256) : (byte)Alphabet[_random.Next(Alphabet.Length)];
        }

        return text;
    }

    private byte[] Base32Mutation(byte[] seed)
    {
        const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";
        var copy = (byte[])seed.Clone();
        var n = 1 + _random.Next(3);
        for (var i = 0; i < n && copy.Length > 0; i++)
        {
            copy[_random.Next(copy.Length)] = (byte)Base32[_random.Next(Base32.Length)];
        }

        return copy;
    }

    private static int StableHash(string text)
    {
        var h = 17;
        foreach (var c in text)
        {
            h = unchecked((h * 31) + c);
        }

        return h;
    }
}
