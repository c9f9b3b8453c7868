namespace HealthBlock.Analysis;

/// <summary>
/// A few running-average QRS templates (wide-band morphology around the R peak), one per beat shape seen recently
/// (the dominant rhythm, each form of ectopic beat). A candidate's best normalised correlation with them tells a QRS
/// complex from an artefact of similar size, which the integrated slope alone cannot.
/// </summary>
internal sealed class BeatTemplateBank
{
    private const int MaxTemplates = 4;
    private const double UpdateWeight = 1.0 / 16;

    private readonly double _fs;
    private readonly int _maxLag;
    private readonly int _edge;
    private readonly List<Template> _templates = [];

    public BeatTemplateBank(double fs)
    {
        _fs = fs;
        _maxLag = Math.Max(1, (int)Math.Round(LagSeconds * fs));
        var half = (int)Math.Round(QrsCandidate.MorphologyHalfSeconds * fs);
        _edge = half - (int)Math.Round(CompareHalfSeconds * fs);
    }

    /// <summary>Half-width of the compared part of the morphology, seconds.</summary>
    internal const double CompareHalfSeconds = 0.07;

    /// <summary>Largest alignment shift tried, seconds.</summary>
    internal const double LagSeconds = 0.03;

    public bool IsEmpty => _templates.Count == 0;

    /// <summary>Largest alignment shift tried, samples.</summary>
    public int MaxLag => _maxLag;

    /// <summary>Index of the dominant beat shape, or -1: the template with the most members, or a clearly narrower one
    /// with nearly as many (ventricular bigeminy has as many ectopic beats as conducted ones).</summary>
    public int Dominant { get; private set; } = -1;

    /// <summary>A template with at least this fraction of the most members competes for dominance by width.</summary>
    internal const double RivalMembersFraction = 0.75;

    /// <summary>A rival must be narrower by this much to be dominant, seconds.</summary>
    internal const double NarrowerSeconds = 0.02;

    private void ChooseDominant()
    {
        var most = -1;
        for (var i = 0; i < _templates.Count; i++)
        {
            if (most < 0 || _templates[i].Members > _templates[most].Members)
            {
                most = i;
            }
        }

        var best = most;
        for (var i = 0; i < _templates.Count; i++)
        {
            if (i != most && _templates[i].Members >= RivalMembersFraction * _templates[most].Members
                && _templates[i].Width < _templates[best].Width - NarrowerSeconds)
            {
                best = i;
            }
        }

        Dominant = best;
    }

    /// <summary>The mean of the dominant template, or null when the bank is empty.</summary>
    public double[]? DominantMean => Dominant is var d and >= 0 ? _templates[d].Mean : null;

    /// <summary>Samples at each end of a morphology left out of comparisons.</summary>
    public int Edge => _edge;

    /// <summary>Changes whenever a template changes (for caching matches).</summary>
    public int Version { get; private set; }

    public void Clear()
    {
        _templates.Clear();
        Dominant = -1;
        Version++;
    }

    /// <summary>Members of template <paramref name="index"/> (0 for −1).</summary>
    public int Members(int index) => index >= 0 && index < _templates.Count ? _templates[index].Members : 0;

    /// <summary>The template that correlates best with <paramref name="morphology"/> (any lag within ±30 ms), among
    /// templates with at least <paramref name="minMembers"/> members.</summary>
    public BeatMatch Match(double[] morphology, int minMembers = 1)
    {
        if (minMembers > 1 && Dominant >= 0)
        {
            // Early on, a shape with half as many members as the dominant one counts as established too.
            minMembers = Math.Min(minMembers, Math.Max(1, _templates[Dominant].Members / 2));
        }

        var best = new BeatMatch(-1, 0, 0);
        for (var t = 0; t < _templates.Count; t++)
        {
            if (_templates[t].Members < minMembers)
            {
                continue;
            }

            var (r, lag) = BestLag(_templates[t].Mean, morphology);
            if (r > best.Correlation)
            {
                best = new BeatMatch(t, r, lag);
            }
        }

        return best;
    }

    /// <summary>Best correlation over the allowed shifts: every fourth shift first, then the neighbours of the best
    /// (the QRS band is narrow enough that the correlation cannot peak between two coarse shifts unseen).</summary>
    private (double Correlation, int Lag) BestLag(double[] template, double[] morphology)
    {
        var near = BestLag(template, morphology, _maxLag);
        if (near.Correlation >= RealignBelow)
        {
            return near;
        }

        // The R peak of a notched or wide complex may have been placed on its other peak: look further.
        var far = BestLag(template, morphology, _edge);
        return far.Correlation > near.Correlation ? far : near;
    }

    /// <summary>A match below this correlation is tried again with shifts up to the compared part's margin
    /// (<see cref="QrsCandidate.MorphologyHalfSeconds"/> − <see cref="CompareHalfSeconds"/>).</summary>
    internal const double RealignBelow = 0.8;

    private (double Correlation, int Lag) BestLag(double[] template, double[] morphology, int maxLag)
    {
        var step = Math.Max(1, _maxLag / 4);
        var bestLag = 0;
        var best = double.MinValue;
        for (var lag = -maxLag; lag <= maxLag; lag += step)
        {
            var r = Correlation(template, morphology, lag);
            if (r > best)
            {
                best = r;
                bestLag = lag;
            }
        }

        var centre = bestLag;
        for (var lag = Math.Max(-maxLag, centre - step + 1); lag <= Math.Min(maxLag, centre + step - 1); lag++)
        {
            var r = Correlation(template, morphology, lag);
            if (r > best)
            {
                best = r;
                bestLag = lag;
            }
        }

        return (best, bestLag);
    }

    /// <summary>Best correlation of <paramref name="morphology"/> with template <paramref name="index"/> (0 when there is none).</summary>
    public double CorrelationWith(int index, double[] morphology)
    {
        if (index < 0 || index >= _templates.Count)
        {
            return 0;
        }

        return Math.Max(0, BestLag(_templates[index].Mean, morphology, _maxLag).Correlation);
    }

    /// <summary>Adds an accepted beat: averaged into its matching template when the match is close, otherwise a new
    /// template (replacing the least used one when the bank is full) when <paramref name="allowNew"/>.</summary>
    public void Learn(double[] morphology, BeatMatch match, double mergeCorrelation, bool allowNew)
    {
        Version++;
        Update(morphology, match, mergeCorrelation, allowNew);
        ChooseDominant();
    }

    private void Update(double[] morphology, BeatMatch match, double mergeCorrelation, bool allowNew)
    {
        if (match.Template >= 0 && match.Correlation >= mergeCorrelation)
        {
            var template = _templates[match.Template];
            var mean = template.Mean;
            var weight = UpdateWeight;
            for (var m = _edge; m < mean.Length - _edge; m++)
            {
                mean[m] += weight * (morphology[m + match.Lag] - mean[m]);
            }

            template.Members++;
            return;
        }

        if (!allowNew)
        {
            return;
        }

        if (_templates.Count == MaxTemplates)
        {
            var weakest = 0;
            for (var i = 1; i < _templates.Count; i++)
            {
                if (_templates[i].Members < _templates[weakest].Members)
                {
                    weakest = i;
                }
            }

            _templates.RemoveAt(weakest);
        }

        _templates.Add(new Template((double[])morphology.Clone(), QrsShape.Width(morphology, _fs)));
    }

    /// <summary>A shape seen recurring at a rhythm's pace (see <see cref="ShapeRecurrence"/>) becomes an established beat
    /// class: the template it matches (correlation ≥ <paramref name="minCorrelation"/>) or a new one is given at least
    /// <paramref name="members"/> members.</summary>
    public void Establish(double[] morphology, int members, double minCorrelation)
    {
        var match = Match(morphology);
        if (match.Template < 0 || match.Correlation < minCorrelation)
        {
            Learn(morphology, match, 1.0, allowNew: true);
            match = new BeatMatch(_templates.Count - 1, 1, 0);
        }

        var template = _templates[match.Template];
        template.Members = Math.Max(template.Members, members);
        ChooseDominant();
        Version++;
    }

    /// <summary>Best correlation of two morphologies over shifts within ±<paramref name="maxLag"/>.</summary>
    public static double BestCorrelation(double[] a, double[] b, int maxLag)
    {
        var half = (a.Length - 1) / 2;
        var edge = Math.Max(maxLag, half - (int)Math.Round(CompareHalfSeconds / QrsCandidate.MorphologyHalfSeconds * half));
        var best = -1.0;
        for (var lag = -maxLag; lag <= maxLag; lag++)
        {
            best = Math.Max(best, Pearson(a, b, lag, edge));
        }

        return best;
    }

    /// <summary>Pearson correlation of <paramref name="template"/> with <paramref name="x"/> shifted by <paramref name="lag"/>,
    /// over the template's interior.</summary>
    private double Correlation(double[] template, double[] x, int lag) => Pearson(template, x, lag, _edge);

    private static double Pearson(double[] template, double[] x, int lag, int edge)
    {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        var n = 0;
        for (var m = edge; m < template.Length - edge; m++)
        {
            var a = template[m];
            var b = x[m + lag];
            sa += a;
            sb += b;
            saa += a * a;
            sbb += b * b;
            sab += a * b;
            n++;
        }

        var cov = sab - sa * sb / n;
        var va = saa - sa * sa / n;
        var vb = sbb - sb * sb / n;
        return va > 0 && vb > 0 ? cov / Math.Sqrt(va * vb) : 0;
    }

    private sealed class Template(double[] mean, double width)
    {
        public double[] Mean { get; } = mean;

        /// <summary>QRS width of the first member, seconds.</summary>
        public double Width { get; } = width;

        public int Members { get; set; } = 1;
    }
}

/// <summary>The best template for a beat.</summary>
/// <param name="Template">Template index, -1 when the bank is empty.</param>
/// <param name="Correlation">Normalised correlation (−1 to 1).</param>
/// <param name="Lag">Shift of the beat relative to the template, samples.</param>
internal readonly record struct BeatMatch(int Template, double Correlation, int Lag);
