namespace HealthBlock.Analysis;

/// <summary>
/// The streaming ECG analyser of one device: QRS detection (<see cref="QrsDetector"/>'s streaming core), signal quality
/// (lead-off, flatline, saturation, high-frequency noise, artefact), beat classification (N / V / Q) and rhythm findings,
/// all incremental. <see cref="EcgAnalyzer"/> is this class run over a whole array.
/// </summary>
/// <remarks>
/// <para><b>Memory</b> is bounded whatever the length of the stream: short rings of filtered samples, at most a few
/// hundred pending candidates, one quality window, a handful of RR intervals; nothing grows with time.</para>
/// <para><b>Delay</b>: a beat becomes final once nothing later can change it: typically one RR interval plus 2-3 s
/// (the noise gate's 2 s window, the hold that checks a beat against the next one); after a gap or lead-off, the
/// detector first learns for 8 s and a readable stretch must last 5 s before it is analysed. Nothing is held for more
/// than <see cref="MaxDelaySeconds"/> behind the newest sample.</para>
/// <para><b>Splitting</b>: results do not depend on how the samples were split into frames: work is done on a fixed
/// grid of absolute sample indices.</para>
/// <para><b>Time rule</b>: every sample index is absolute within the stream (sample 0 is the stream's origin) and every
/// finding window is <c>[startSample / fs, endSample / fs]</c> seconds from sample 0, where the evidence span is the
/// first and last R peak involved (rate episodes, pauses, runs, irregular rhythm) or the first and last sample
/// (quality findings, summary). A consumer that knows the wall-clock time of sample 0 adds it to get absolute times.</para>
/// </remarks>
public sealed class EcgStream : IStreamingEcgAnalyzer, IEcgStreamOutput
{
    /// <summary>The longest time anything is held behind the newest sample, seconds.</summary>
    public const double MaxDelaySeconds = 20.0;

    private const int Chunk = 64;

    private readonly EcgAnalysisOptions _options;
    private readonly QrsDetectionCore _core;
    private readonly SignalQualityStream _quality;
    private readonly EcgStreamAssembler _assembler;
    private readonly BeatClassifier _classifier;
    private readonly RhythmTracker _rhythm;
    private readonly CoreSink _coreSink;
    private readonly long _maxDelay;
    private readonly long _origin;
    private readonly double[] _invalid = new double[Chunk];
    private readonly List<EcgBeat> _newBeats = [];
    private readonly List<EcgSpan> _newSpans = [];
    private readonly List<Finding> _newFindings = [];
    private QrsBeat? _held;
    private long? _heldRrBefore;
    private bool _previousNormal;
    private long _stretchStart;
    private long _ignored;
    private bool _completed;

    /// <summary>Creates the analyser of one stream.</summary>
    /// <param name="samplingFrequency">Samples per second (50 to 20 000).</param>
    /// <param name="options">Signal-quality and rhythm thresholds; null for the defaults.</param>
    /// <param name="detector">QRS detector tuning; null for the defaults.</param>
    /// <param name="firstSample">Absolute index of the first sample that will be pushed (default 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">When the frequency is out of range or the first sample negative.</exception>
    public EcgStream(double samplingFrequency, EcgAnalysisOptions? options = null, QrsDetectorOptions? detector = null, long firstSample = 0)
    {
        QrsDetector.CheckSamplingFrequency(samplingFrequency);
        ArgumentOutOfRangeException.ThrowIfNegative(firstSample);
        SamplingFrequency = samplingFrequency;
        _options = options ?? new EcgAnalysisOptions();
        _coreSink = new CoreSink(this);
        _core = new QrsDetectionCore(samplingFrequency, detector ?? new QrsDetectorOptions(), _coreSink);
        _assembler = new EcgStreamAssembler(samplingFrequency, _options, this);
        _quality = new SignalQualityStream(samplingFrequency, _options, _assembler.Span);
        _classifier = new BeatClassifier(samplingFrequency);
        _rhythm = new RhythmTracker(samplingFrequency, _options, _newFindings.Add);
        _maxDelay = (long)Math.Round(MaxDelaySeconds * samplingFrequency);
        _origin = firstSample;
        _core.StartAt(firstSample);
        _quality.StartAt(firstSample);
        _assembler.StartAt(firstSample);
        Array.Fill(_invalid, double.NaN);
    }

    /// <inheritdoc />
    public double SamplingFrequency { get; }

    /// <inheritdoc />
    public long NextSample => _core.NextSample;

    /// <summary>The heart-rate summary of everything final so far, or null with fewer than two RR intervals.</summary>
    public HeartRateSummary? HeartRate => _rhythm.Summary();

    /// <summary>Items held by every stage (candidates, beats, spans, windows): bounded whatever the stream's length.</summary>
    internal int Footprint => _core.Footprint + _assembler.Footprint + _quality.Footprint;

    /// <inheritdoc />
    public EcgStreamUpdate Push(ReadOnlySpan<double> millivolts, long firstSampleIndex, bool leadOff = false)
    {
        var skip = Start(millivolts.Length, firstSampleIndex);
        var x = millivolts[skip..];
        while (x.Length > 0)
        {
            var n = NextSample;
            var take = (int)Math.Min(x.Length, Chunk - (n % Chunk));
            var part = x[..take];
            _core.Process(leadOff ? _invalid.AsSpan(0, take) : part);
            foreach (var v in part)
            {
                _quality.Step(v, leadOff);
            }

            x = x[take..];
            if (NextSample % Chunk == 0)
            {
                Advance();
            }
        }

        return Update();
    }

    /// <inheritdoc />
    public EcgStreamUpdate PushMicrovolts(ReadOnlySpan<int> microvolts, long firstSampleIndex, bool leadOff = false)
    {
        var mv = new double[microvolts.Length];
        for (var i = 0; i < mv.Length; i++)
        {
            mv[i] = microvolts[i] / 1000.0;
        }

        return Push(mv, firstSampleIndex, leadOff);
    }

    /// <inheritdoc />
    public EcgStreamUpdate Complete()
    {
        if (_completed)
        {
            return Update();
        }

        _completed = true;
        var end = NextSample;
        _core.Complete();
        _quality.Flush(end);
        _assembler.Complete(end);
        _rhythm.Complete(_origin, end);
        return Update();
    }

    void IEcgStreamOutput.ReadableStart(long start)
    {
        _stretchStart = start;
        _held = null;
        _heldRrBefore = null;
        _previousNormal = false;
        _rhythm.StretchStart(start);
    }

    void IEcgStreamOutput.Beat(QrsBeat beat)
    {
        if (_held is { } held)
        {
            Release(held, beat.Sample - held.Sample);
            _heldRrBefore = beat.Sample - held.Sample;
        }

        _held = beat;
    }

    void IEcgStreamOutput.ReadableEnd(long start, long end)
    {
        if (_held is { } held)
        {
            Release(held, null);
            _held = null;
        }

        _rhythm.StretchEnd(start, end);
    }

    void IEcgStreamOutput.Unreadable(EcgSpan span)
    {
        _newSpans.Add(span);
        _rhythm.Excluded(span);
    }

    private void Release(QrsBeat beat, long? rrAfter)
    {
        var label = _classifier.Classify(beat, _heldRrBefore / SamplingFrequency, rrAfter / SamplingFrequency, _previousNormal);
        _previousNormal = label == AnnotationCode.Normal;
        var final = new EcgBeat(beat.Sample, label);
        _newBeats.Add(final);
        _rhythm.Beat(final);
    }

    /// <summary>Checks the call and handles overlap and gaps; returns how many leading samples to skip.</summary>
    private int Start(int length, long first)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The stream is complete; no more samples can be pushed.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(first);
        var skip = (int)Math.Clamp(NextSample - first, 0, length);
        _ignored = skip;
        if (first > NextSample)
        {
            var gap = first - NextSample;
            _core.Skip(gap);
            _quality.Skip(gap);
            Advance();
        }

        return skip;
    }

    private void Advance()
    {
        var horizon = Math.Min(_core.Horizon, _quality.Horizon);
        _assembler.Advance(Math.Max(horizon, NextSample - _maxDelay));
    }

    private EcgStreamUpdate Update()
    {
        var update = new EcgStreamUpdate(
            [.. _newBeats], [.. _newSpans], [.. _newFindings], _rhythm.State(!_assembler.InUnreadable), _assembler.FinalThrough, _ignored);
        _newBeats.Clear();
        _newSpans.Clear();
        _newFindings.Clear();
        _ignored = 0;
        return update;
    }

    /// <summary>Forwards the detector's output to the assembler.</summary>
    private sealed class CoreSink(EcgStream stream) : IQrsSink
    {
        public void Beat(QrsBeat beat) => stream._assembler.Beat(beat);

        public void Unreadable(long start, long end, SignalIssue issue) => stream._assembler.Span(new EcgSpan(start, end, issue));
    }
}
