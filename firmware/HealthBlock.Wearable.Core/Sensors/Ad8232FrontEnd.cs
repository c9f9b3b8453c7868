// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Sensors
{
    /// <summary>
    /// The AD8232 single-lead heart-rate monitor front end: its OUTPUT on an ADC channel and its lead-off
    /// comparators LO+ and LO- on two digital inputs (either high = an electrode is off).
    /// </summary>
    public sealed class Ad8232FrontEnd : IEcgFrontEnd
    {
        private readonly IAdcChannel _output;
        private readonly IDigitalInput _leadOffPlus;
        private readonly IDigitalInput _leadOffMinus;

        /// <summary>Wires the front end.</summary>
        public Ad8232FrontEnd(IAdcChannel output, IDigitalInput leadOffPlus, IDigitalInput leadOffMinus)
        {
            if (output == null || leadOffPlus == null || leadOffMinus == null)
            {
                throw new System.ArgumentNullException("output");
            }

            _output = output;
            _leadOffPlus = leadOffPlus;
            _leadOffMinus = leadOffMinus;
        }

        /// <summary>Reads LO+ and LO- first, then converts OUTPUT (the order the emulators rely on).</summary>
        public int ReadSample(out bool leadOff)
        {
            leadOff = _leadOffPlus.IsHigh() || _leadOffMinus.IsHigh();
            return _output.ReadValue();
        }
    }
}
