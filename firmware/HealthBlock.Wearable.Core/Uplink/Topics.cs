// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Wearable.Uplink
{
    /// <summary>MQTT topic names: <c>hb/&lt;patient&gt;/&lt;device&gt;/&lt;sensor&gt;</c> with sensor <c>ecg</c>, <c>bp</c> or <c>temp</c>.</summary>
    public static class Topics
    {
        /// <summary>The first topic level of every HealthBlock topic.</summary>
        public const string Root = "hb";

        /// <summary>The device's base topic <c>hb/&lt;patient&gt;/&lt;device&gt;</c>.</summary>
        public static string Base(string patient, string deviceHex)
        {
            return Root + "/" + patient + "/" + deviceHex;
        }

        /// <summary>The topic segment of a sensor kind, or <c>null</c> for a kind this firmware does not send.</summary>
        public static string SensorSegment(byte kind)
        {
            if (kind == FrameLayout.KindEcg)
            {
                return "ecg";
            }

            if (kind == FrameLayout.KindBloodPressure)
            {
                return "bp";
            }

            if (kind == FrameLayout.KindTemperature)
            {
                return "temp";
            }

            return null;
        }

        /// <summary>The topic a frame of <paramref name="kind"/> is published on.</summary>
        public static string ForKind(string baseTopic, byte kind)
        {
            string segment = SensorSegment(kind);
            if (segment == null)
            {
                throw new System.ArgumentOutOfRangeException("kind");
            }

            return baseTopic + "/" + segment;
        }
    }
}
