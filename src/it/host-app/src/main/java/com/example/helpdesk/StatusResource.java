package com.example.helpdesk;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Public: the helpdesk's own status, which has nothing to do with Warden. */
@Path("status")
public class StatusResource {

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, String> status() {
    return Map.of("service", "helpdesk", "status", "up");
  }
}
