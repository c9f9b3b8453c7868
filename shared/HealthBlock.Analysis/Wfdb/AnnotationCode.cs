namespace HealthBlock.Analysis;

/// <summary>MIT/WFDB annotation type codes (values as in WFDB's <c>ecgcodes.h</c>).</summary>
public enum AnnotationCode : byte
{
    /// <summary>Not-QRS (code 0).</summary>
    NotQrs = 0,

    /// <summary>N: normal beat.</summary>
    Normal = 1,

    /// <summary>L: left bundle branch block beat.</summary>
    LeftBundleBranchBlock = 2,

    /// <summary>R: right bundle branch block beat.</summary>
    RightBundleBranchBlock = 3,

    /// <summary>a: aberrated atrial premature beat.</summary>
    AberratedAtrialPremature = 4,

    /// <summary>V: premature ventricular contraction.</summary>
    PrematureVentricular = 5,

    /// <summary>F: fusion of ventricular and normal beat.</summary>
    Fusion = 6,

    /// <summary>J: nodal (junctional) premature beat.</summary>
    NodalPremature = 7,

    /// <summary>A: atrial premature contraction.</summary>
    AtrialPremature = 8,

    /// <summary>S: premature or ectopic supraventricular beat.</summary>
    SupraventricularPremature = 9,

    /// <summary>E: ventricular escape beat.</summary>
    VentricularEscape = 10,

    /// <summary>j: nodal (junctional) escape beat.</summary>
    NodalEscape = 11,

    /// <summary>/: paced beat.</summary>
    Paced = 12,

    /// <summary>Q: unclassifiable beat.</summary>
    Unknown = 13,

    /// <summary>~: signal quality change.</summary>
    Noise = 14,

    /// <summary>|: isolated QRS-like artifact.</summary>
    Artifact = 16,

    /// <summary>s: ST change.</summary>
    StChange = 18,

    /// <summary>T: T-wave change.</summary>
    TChange = 19,

    /// <summary>*: systole.</summary>
    Systole = 20,

    /// <summary>D: diastole.</summary>
    Diastole = 21,

    /// <summary>": comment annotation.</summary>
    Note = 22,

    /// <summary>=: measurement annotation.</summary>
    Measure = 23,

    /// <summary>p: P-wave peak.</summary>
    PWave = 24,

    /// <summary>B: left or right bundle branch block beat (unspecified).</summary>
    BundleBranchBlock = 25,

    /// <summary>^: non-conducted pacer spike.</summary>
    PacerSpike = 26,

    /// <summary>t: T-wave peak.</summary>
    TWave = 27,

    /// <summary>+: rhythm change.</summary>
    Rhythm = 28,

    /// <summary>u: U-wave peak.</summary>
    UWave = 29,

    /// <summary>?: beat not classified during learning.</summary>
    Learn = 30,

    /// <summary>!: ventricular flutter wave.</summary>
    FlutterWave = 31,

    /// <summary>[: start of ventricular flutter/fibrillation.</summary>
    VentricularFibrillationOnset = 32,

    /// <summary>]: end of ventricular flutter/fibrillation.</summary>
    VentricularFibrillationOffset = 33,

    /// <summary>e: atrial escape beat.</summary>
    AtrialEscape = 34,

    /// <summary>n: supraventricular escape beat.</summary>
    SupraventricularEscape = 35,

    /// <summary>@: link to external data.</summary>
    Link = 36,

    /// <summary>x: non-conducted P-wave (blocked APC).</summary>
    NonConductedP = 37,

    /// <summary>f: fusion of paced and normal beat.</summary>
    PacedFusion = 38,

    /// <summary>(: waveform onset.</summary>
    WaveformOnset = 39,

    /// <summary>): waveform end.</summary>
    WaveformOffset = 40,

    /// <summary>r: R-on-T premature ventricular contraction.</summary>
    ROnT = 41,
}
