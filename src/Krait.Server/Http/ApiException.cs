namespace Krait.Server.Http;

/// <summary>A request refused with an HTTP status and a <c>detail</c> that says what was wrong and what to do (quetz's error shape).</summary>
public sealed class ApiException : Exception
{
    public ApiException(int status, string detail)
        : base(detail)
    {
        Status = status;
    }

    public ApiException()
    {
    }

    public ApiException(string message)
        : base(message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Status { get; } = 500;

    public static ApiException NotFound(string detail) => new(404, detail);

    public static ApiException BadRequest(string detail) => new(400, detail);
}
