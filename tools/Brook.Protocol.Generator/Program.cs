namespace Brook.Protocol.Generator;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("not written yet");
        return args.Length == 0 ? 1 : 1;
    }
}
