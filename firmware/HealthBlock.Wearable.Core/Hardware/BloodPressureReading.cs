// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Hardware
{
    /// <summary>One blood-pressure result (or the reason there is none).</summary>
    public sealed class BloodPressureReading
    {
        /// <summary>Systolic pressure in mmHg.</summary>
        public int Systolic { get; set; }

        /// <summary>Diastolic pressure in mmHg.</summary>
        public int Diastolic { get; set; }

        /// <summary>Pulse in beats per minute.</summary>
        public int Pulse { get; set; }

        /// <summary>The cuff's status field of a result (0 normal, 1 irregular heartbeat, 2 movement).</summary>
        public int Status { get; set; }

        /// <summary>For a failed measurement: the cuff's error code, or a local one (see <c>CuffProtocol</c>).</summary>
        public int ErrorCode { get; set; }

        /// <summary>Clears every field.</summary>
        public void Clear()
        {
            Systolic = 0;
            Diastolic = 0;
            Pulse = 0;
            Status = 0;
            ErrorCode = 0;
        }
    }
}
