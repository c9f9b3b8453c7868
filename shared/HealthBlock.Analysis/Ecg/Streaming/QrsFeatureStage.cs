namespace HealthBlock.Analysis;

/// <summary>
/// The causal filters of the QRS detector, one sample at a time: a QRS band-pass (two cascaded second-order
/// Butterworth high-passes and low-passes), a five-point derivative, its absolute value and a moving-window
/// integration (MWI) of it, plus a 0.5-40 Hz "wide" copy used to place R peaks and measure morphology.
/// </summary>
/// <remarks>
/// Every output is delayed with respect to the input by a known number of samples (<see cref="BandLag"/>,
/// <see cref="WideLag"/>, <see cref="FeatureLag"/>), computed from the filters' group delay at the centre of the
/// QRS band, so that positions found on the delayed signals map back to input sample indices.
/// The integrated feature grows linearly with the QRS amplitude (absolute value, not square), so a fall in
/// amplitude costs the same fraction of the threshold as it costs of the signal.
/// </remarks>
internal sealed class QrsFeatureStage
{
    private const int ResumEvery = 1 << 14;

    private readonly Biquad _hp;
    private readonly Biquad _lp;
    private readonly Biquad _wideHp;
    private readonly Biquad _wideLp;
    private readonly double[] _band = new double[5];
    private readonly double[] _window;
    private readonly double _derivativeScale;
    private double _hp1, _hp2, _hp3, _hp4, _lp1, _lp2, _lp3, _lp4, _w1, _w2, _w3, _w4;
    private int _bandPos;
    private int _windowPos;
    private double _windowSum;
    private int _sinceResum;

    public QrsFeatureStage(double fs, QrsDetectorOptions options)
    {
        var high = Math.Min(options.BandHighHz, 0.4 * fs);
        var low = Math.Min(options.BandLowHz, 0.5 * high);
        _hp = Biquad.HighPass(low, fs);
        _lp = Biquad.LowPass(high, fs);
        _wideHp = Biquad.HighPass(WideLowHz, fs);
        _wideLp = Biquad.LowPass(Math.Min(WideHighHz, 0.4 * fs), fs);
        _derivativeScale = fs / 8.0;
        IntegrationWidth = Math.Max(1, (int)Math.Round(options.IntegrationWindowSeconds * fs));
        _window = new double[IntegrationWidth];

        var centre = Math.Sqrt(low * high);
        BandLag = (int)Math.Round(2 * (_hp.GroupDelay(centre, fs) + _lp.GroupDelay(centre, fs)));
        WideLag = (int)Math.Round(_wideHp.GroupDelay(centre, fs) + _wideLp.GroupDelay(centre, fs));
        FeatureLag = BandLag + 2 + (IntegrationWidth - 1) / 2;
    }

    internal const double WideLowHz = 1.0;

    internal const double WideHighHz = 25.0;

    /// <summary>Samples in the moving-window integration.</summary>
    public int IntegrationWidth { get; }

    /// <summary>Delay of the band-passed signal, samples.</summary>
    public int BandLag { get; }

    /// <summary>Delay of the wide (0.5-40 Hz) signal, samples.</summary>
    public int WideLag { get; }

    /// <summary>Delay from a QRS complex to the peak of the integrated feature, samples.</summary>
    public int FeatureLag { get; }

    /// <summary>Band-passed value of the last sample.</summary>
    public double Band { get; private set; }

    /// <summary>Wide (0.5-40 Hz) value of the last sample.</summary>
    public double Wide { get; private set; }

    /// <summary>Absolute slope of the band-passed signal, units per second.</summary>
    public double Slope { get; private set; }

    /// <summary>Moving-window integral of the absolute slope.</summary>
    public double Feature { get; private set; }

    /// <summary>Restarts every filter as if <paramref name="x"/> had been applied forever.</summary>
    public void Reset(double x)
    {
        _hp.SteadyState(x, out _hp1, out _hp2);
        _hp.SteadyState(0, out _hp3, out _hp4);
        _lp.SteadyState(0, out _lp1, out _lp2);
        _lp.SteadyState(0, out _lp3, out _lp4);
        _wideHp.SteadyState(x, out _w1, out _w2);
        _wideLp.SteadyState(0, out _w3, out _w4);
        Array.Clear(_band);
        Array.Clear(_window);
        _bandPos = 0;
        _windowPos = 0;
        _windowSum = 0;
        _sinceResum = 0;
        Band = Wide = Slope = Feature = 0;
    }

    /// <summary>Filters one sample.</summary>
    public void Step(double x)
    {
        var y = _hp.Step(x, ref _hp1, ref _hp2);
        y = _hp.Step(y, ref _hp3, ref _hp4);
        y = _lp.Step(y, ref _lp1, ref _lp2);
        y = _lp.Step(y, ref _lp3, ref _lp4);
        Band = y;
        var w = _wideHp.Step(x, ref _w1, ref _w2);
        Wide = _wideLp.Step(w, ref _w3, ref _w4);

        _bandPos = (_bandPos + 1) % 5;
        _band[_bandPos] = y;
        var m1 = _band[(_bandPos + 4) % 5];
        var m3 = _band[(_bandPos + 2) % 5];
        var m4 = _band[(_bandPos + 1) % 5];
        Slope = Math.Abs((2 * y + m1 - m3 - 2 * m4) * _derivativeScale);

        _windowSum += Slope - _window[_windowPos];
        _window[_windowPos] = Slope;
        _windowPos = (_windowPos + 1) % _window.Length;
        if (++_sinceResum == ResumEvery)
        {
            // Re-add from scratch now and then so that rounding in the running sum cannot accumulate.
            _sinceResum = 0;
            _windowSum = 0;
            foreach (var v in _window)
            {
                _windowSum += v;
            }
        }

        Feature = Math.Max(0, _windowSum / _window.Length);
    }
}
