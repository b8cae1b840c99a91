package org.roost.admin;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The admin server's routes by path and method. A path answers the methods it was given (a GET
 * also answers HEAD); any other method gets 405 with an {@code Allow} header (RFC 9110 §15.5.6),
 * and a path that matches no route gets 404, both as problem details.
 */
final class RouteTable {
    /** Sends an RFC 9457 problem document. */
    interface Problems {
        void send(ServerResponse res, Status status, String detail);
    }

    private final Map<String, Map<Method, Handler>> routes = new LinkedHashMap<>();

    RouteTable get(String path, Handler handler) {
        return add(Method.GET, path, handler);
    }

    RouteTable post(String path, Handler handler) {
        return add(Method.POST, path, handler);
    }

    RouteTable put(String path, Handler handler) {
        return add(Method.PUT, path, handler);
    }

    RouteTable delete(String path, Handler handler) {
        return add(Method.DELETE, path, handler);
    }

    private RouteTable add(Method method, String path, Handler handler) {
        var methods = routes.computeIfAbsent(path, p -> new LinkedHashMap<>());
        methods.put(method, handler);
        if (method == Method.GET) {
            methods.put(Method.HEAD, handler); // Helidon leaves the body out of a HEAD answer
        }
        return this;
    }

    void install(HttpRouting.Builder routing, Problems problems) {
        routes.forEach((path, methods) -> {
            methods.forEach((method, handler) -> routing.route(method, path, handler));
            var allow = methods.keySet().stream().map(Method::text).collect(Collectors.joining(", "));
            routing.any(path, (req, res) -> {
                res.header(HeaderNames.ALLOW, allow);
                problems.send(res, Status.METHOD_NOT_ALLOWED_405, "This resource answers " + allow + " only.");
            });
        });
        routing.any((req, res) -> problems.send(res, Status.NOT_FOUND_404, "No resource has this path."));
    }
}
