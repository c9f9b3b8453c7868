// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Sensors
{
    /// <summary>
    /// Converts ADC counts of an AD8232 output into microvolts at the electrodes, in integer arithmetic.
    /// </summary>
    /// <remarks>
    /// The AD8232 output is <c>Vout = Vref + G × Vin</c>: the electrode voltage <c>Vin</c> amplified by the front end's
    /// gain <c>G</c> (100 by default) around the reference <c>Vref</c> (mid-rail, 1.65 V at 3.3 V). An ADC of
    /// <c>B</c> bits over a full scale of <c>FS</c> reads <c>counts = Vout × 2^B / FS</c>. Hence
    /// <c>Vin[µV] = (counts × FS[µV] − Vref[µV] × 2^B) / (2^B × G)</c>, computed with 64-bit integers and rounded to
    /// the nearest microvolt (halves away from zero). With the defaults one count is 3.3 V / 4096 / 100 = 8.06 µV
    /// and the range is ±16.5 mV, inside the frame's int16.
    /// </remarks>
    public sealed class Ad8232Conversion
    {
        private readonly long _fullScaleMicrovolts;
        private readonly long _referenceMicrovolts;
        private readonly long _levels;
        private readonly long _gain;

        /// <summary>The default wiring: 12-bit ADC, 3.3 V full scale, 1.65 V reference, gain 100.</summary>
        public Ad8232Conversion()
            : this(12, 3300, 1650, 100)
        {
        }

        /// <summary>Creates a conversion for another ADC or gain.</summary>
        /// <param name="adcBits">ADC resolution in bits (1 to 24).</param>
        /// <param name="fullScaleMillivolts">Voltage of the ADC's full scale, in mV.</param>
        /// <param name="referenceMillivolts">The AD8232 reference (REFIN) in mV; mid-rail is half the supply.</param>
        /// <param name="gain">Total gain from electrodes to output (100 for the instrumentation stage alone).</param>
        public Ad8232Conversion(int adcBits, int fullScaleMillivolts, int referenceMillivolts, int gain)
        {
            if (adcBits < 1 || adcBits > 24 || fullScaleMillivolts <= 0 || referenceMillivolts < 0 || gain <= 0)
            {
                throw new System.ArgumentOutOfRangeException("adcBits");
            }

            _levels = 1L << adcBits;
            _fullScaleMicrovolts = fullScaleMillivolts * 1000L;
            _referenceMicrovolts = referenceMillivolts * 1000L;
            _gain = gain;
            MaxCount = (int)(_levels - 1);
        }

        /// <summary>Largest ADC count (4095 for 12 bits). A count at 0 or here means the output is saturated.</summary>
        public int MaxCount { get; private set; }

        /// <summary>Converts one ADC count into microvolts at the electrodes, clamped to the int16 range.</summary>
        public short ToMicrovolts(int counts)
        {
            long numerator = (counts * _fullScaleMicrovolts) - (_referenceMicrovolts * _levels);
            long denominator = _levels * _gain;
            long half = denominator / 2;
            long microvolts = numerator >= 0 ? (numerator + half) / denominator : -((-numerator + half) / denominator);
            if (microvolts > short.MaxValue)
            {
                return short.MaxValue;
            }

            if (microvolts < short.MinValue)
            {
                return short.MinValue;
            }

            return (short)microvolts;
        }

        /// <summary>The ADC count the front end outputs for <paramref name="microvolts"/> at the electrodes (clamped to the ADC range).</summary>
        public int ToCounts(long microvolts)
        {
            long numerator = (((microvolts * _gain) + _referenceMicrovolts) * _levels);
            long half = _fullScaleMicrovolts / 2;
            long counts = numerator >= 0 ? (numerator + half) / _fullScaleMicrovolts : -((-numerator + half) / _fullScaleMicrovolts);
            if (counts < 0)
            {
                return 0;
            }

            if (counts > MaxCount)
            {
                return MaxCount;
            }

            return (int)counts;
        }

        /// <summary>Whether a count sits on a rail of the ADC (the amplifier is saturated).</summary>
        public bool IsSaturated(int counts)
        {
            return counts <= 0 || counts >= MaxCount;
        }
    }
}
