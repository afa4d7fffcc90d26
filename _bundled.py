"""The bundled cycling-copilot tools and seeds, generated from cycling-copilot-tools.json and
cycling-copilot-seeds.csv by dev/sync_vendored.py: edit those files, never this one."""

BUNDLED_TOOLS_JSON = r'''[
  {
    "type": "function",
    "function": {
      "name": "get_ride_status",
      "description": "Current ride numbers: speed, distance, elevation, battery or elapsed time.",
      "parameters": {
        "properties": {
          "query": {
            "description": "Which number; all for a summary.",
            "enum": ["all", "speed", "distance", "elevation", "battery", "time"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_segment_ahead",
      "description": "The upcoming stretch of the planned route: climbs, turns, surface.",
      "parameters": {
        "properties": {
          "query": {
            "description": "How far ahead to look.",
            "enum": ["5km", "10km", "20km", "next_section"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_weather_forecast",
      "description": "Weather here now, later along the route, or the wind.",
      "parameters": {
        "properties": {
          "query": {
            "description": "current here, ahead on the route, or wind.",
            "enum": ["current", "ahead", "wind"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "find_nearby_poi",
      "description": "Find a nearby place to stop.",
      "parameters": {
        "properties": {
          "query": {
            "description": "Kind of place.",
            "enum": ["water", "cafe", "food", "bike_shop", "rest_area", "shelter", "any"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_route_alternatives",
      "description": "Re-route the ride with a constraint.",
      "parameters": {
        "properties": {
          "query": {
            "description": "What the new route should favour.",
            "enum": ["flatter", "shorter", "paved", "scenic", "sheltered", "avoid_main_roads"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_rider_profile",
      "description": "The rider's usual fitness level and riding preferences.",
      "parameters": {
        "properties": {
          "query": {
            "description": "fitness, preferences, or all.",
            "enum": ["fitness", "preferences", "all"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  }
]
'''
BUNDLED_SEEDS_CSV = r'''"user_message","tool_calls"
"speedo reading?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"
"How quick am I rolling at the moment","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"
"¿Qué velocidad llevo en este llano?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"
"velocidad actual","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"
"Feels like I'm crawling on this drag, what's my speed","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"
"Am I holding 30 km/h on the flat or not?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"
"km covered so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]"
"¿Cuántos kilómetros llevo?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]"
"How many miles have I put in since we left","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]"
"distance done","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]"
"Dime la distancia recorrida hasta ahora","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]"
"Hey, quick one, how far have I ridden since leaving the house?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]"
"What altitude are we at","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]"
"How high up am I right now?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]"
"¿A qué altitud estamos?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]"
"altitud","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]"
"How many metres of climbing have I done on this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]"
"elevation gained so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]"
"Is my e-bike going to die before home?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]"
"nivel de batería del motor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]"
"How much juice is left in the motor?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]"
"charge left on the e-bike?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]"
"¿Me queda carga suficiente en la batería?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]"
"Should I drop to eco mode? How's the charge looking","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]"
"How long have I been in the saddle today","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]"
"elapsed time","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]"
"¿Cuánto tiempo llevo pedaleando?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]"
"How many hours have we been out?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]"
"Tiempo transcurrido de la salida","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]"
"What's the clock on this ride so far?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]"
"Give me the full rundown of this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]"
"stats","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]"
"Resumen de la salida, por favor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]"
"Read me all my ride numbers: speed, distance, the lot","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]"
"¿Cómo va la ruta en general? Dame todos los datos","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]"
"Quick overview of today's ride so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]"
"What's the next 5k like","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]"
"5k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]"
"¿Qué hay en los próximos cinco kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]"
"Anything tricky within the next five km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]"
"Show me the road for the coming 5 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]"
"Próximos 5 km: ¿subida o bajada?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]"
"10 km preview","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]"
"What's coming in the next ten kilometres","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]"
"10k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]"
"Describe the next 10 km of the route, turns and surface","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]"
"¿Cómo son los próximos diez kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]"
"Qué me espera en los siguientes 10 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]"
"Anything nasty in the next twenty kilometres?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]"
"20k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]"
"Give me the big picture for the next 20 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]"
"Is there a long climb somewhere in the next 20km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]"
"¿Qué me espera en los próximos 20 kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]"
"Avance de los siguientes veinte km de la ruta","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]"
"¿Qué viene en el próximo tramo?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]"
"What comes after this descent?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]"
"next section?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]"
"Is the next bit gravel or tarmac?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]"
"Any sharp turns on the upcoming stretch?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]"
"Cómo es el siguiente segmento","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]"
"¿Hace frío aquí ahora mismo?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]"
"How cold is it out here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]"
"conditions right here?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]"
"Is it actually raining here or is that just spray off the road?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]"
"Temperatura ahora mismo","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]"
"What's the weather doing where I am at the moment","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]"
"Will I get soaked later on the route?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]"
"Any storms further along the route this afternoon?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]"
"weather ahead","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]"
"¿Va a llover más adelante en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]"
"Should I keep the rain jacket handy for the second half of the ride?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]"
"El pronóstico para el resto del recorrido","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]"
"what's the wind doing","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]"
"Which way is the wind blowing?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]"
"How strong are the gusts today?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]"
"¿De dónde sopla el viento?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]"
"viento","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]"
"Will I have a tailwind on the way back?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]"
"I'm out of water","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]"
"agua","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]"
"Where can I refill my bottles?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]"
"Fountain nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]"
"Necesito rellenar los bidones","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]"
"So thirsty, is there a tap anywhere close","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]"
"Espresso stop nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]"
"Café cerca","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]"
"Find me a coffee shop for a quick cortado","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]"
"Could murder a flat white right now","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]"
"¿Hay alguna cafetería por aquí?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]"
"cafe stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]"
"I'm starving","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]"
"I'm bonking, I need real food, not gels","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]"
"Where can I grab a proper lunch?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]"
"comida","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]"
"Tengo hambre, ¿dónde puedo comer algo?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]"
"Somewhere to eat a sandwich around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]"
"My derailleur just snapped","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]"
"My chain snapped","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]"
"Se me ha roto un radio, necesito un taller","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]"
"nearest bike mechanic","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]"
"I need a new inner tube and I've already used my spare","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]"
"Pinché y no llevo cámara de repuesto","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]"
"Somewhere to sit down for ten minutes?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]"
"rest stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]"
"Need a bench to stretch my back","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]"
"área de descanso más cercana","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]"
"¿Dónde puedo parar a descansar un rato?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]"
"Find a picnic spot where I can lie down for a bit","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]"
"It's hailing, I need cover now","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]"
"storm shelter nearby","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]"
"Where can I get under a roof until the storm passes?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]"
"Lightning's close, I need somewhere to hide","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]"
"Está diluviando, ¿dónde me puedo refugiar?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]"
"Un refugio cerca, rápido","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]"
"Any place at all to stop around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]"
"Whatever's closest, I just need to stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]"
"What's nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]"
"points of interest near me","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]"
"¿Qué hay cerca para parar?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]"
"Cualquier sitio para parar me vale","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]"
"My legs are cooked, avoid the hills","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]"
"flatter route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]"
"No more climbing today please","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]"
"Quiero una ruta sin tanto desnivel","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]"
"Evita las cuestas, estoy reventado","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]"
"Find me a way back with less climbing","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]"
"Cut the ride short, I need to get back","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]"
"shortcut?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]"
"Running late, trim some kilometres off the route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]"
"Atajo","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]"
"Busca una ruta más corta, tengo prisa","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]"
"I'm losing daylight, give me a shorter loop","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]"
"No more gravel, tarmac only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]"
"paved roads only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]"
"Keep me on asphalt, I'm on skinny tyres","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]"
"Solo asfalto, por favor","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]"
"Sácame de esta pista de tierra","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]"
"This dirt track is shaking my bike apart, find smooth road","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]"
"Take me somewhere pretty","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]"
"scenic route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]"
"Route me along the coast for the views","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]"
"Ruta bonita","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]"
"Llévame por un camino con buenas vistas","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]"
"I'm in no hurry, show me the nicest roads","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]"
"Route me out of this headwind","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]"
"sheltered route please","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]"
"Find a route that's protected from the wind","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]"
"Llévame por un camino más resguardado del viento","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]"
"Take the road through the woods, out of these crosswinds","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]"
"Cambia la ruta, este viento lateral me está matando","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]"
"Quiero evitar las carreteras principales","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]"
"Too many lorries here, get me off the main road","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]"
"quiet roads only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]"
"Route me around the highway","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]"
"Sin carreteras nacionales","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]"
"These cars are passing scary close, find me back lanes","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]"
"How fit am I these days?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]"
"What's my FTP?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]"
"¿Cuál es mi nivel de forma?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]"
"fitness level","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]"
"Am I in better shape than last month?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]"
"¿Cómo ando de forma últimamente?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]"
"What kind of rides do I usually like?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]"
"my preferences","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]"
"Do I prefer road or gravel?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]"
"What distance and terrain do I normally go for?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]"
"¿Qué tipo de rutas prefiero?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]"
"Mis preferencias de ruta","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]"
"Muéstrame mi perfil completo de ciclista","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]"
"Tell me everything you know about me as a cyclist","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]"
"full rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]"
"Who am I as a rider? Fitness, likes, everything","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]"
"Resumen de mi perfil: forma física y gustos","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]"
"Load my whole profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]"
"thanks","[]"
"ok","[]"
"cool","[]"
"never mind","[]"
"you're the best","[]"
"Good morning!","[]"
"got it","[]"
"perfect thank you","[]"
"nice one","[]"
"alright cheers mate","[]"
"haha love it","[]"
"tell me a joke","[]"
"gracias","[]"
"vale","[]"
"buenos días","[]"
"genial, gracias","[]"
"perfecto","[]"
"eres un crack","[]"
"de acuerdo","[]"
"olvídalo","[]"
"play some music","[]"
"skip this song","[]"
"call Ana","[]"
"text Mark I'm late","[]"
"navigate to 221 Baker Street","[]"
"set a timer for ten minutes","[]"
"wake me up at six tomorrow","[]"
"take a photo","[]"
"play the next episode of my podcast","[]"
"turn the volume up","[]"
"read me my last message","[]"
"pon algo de rock","[]"
"llama a mamá","[]"
"manda un mensaje a Pedro que llego tarde","[]"
"pon un temporizador de cinco minutos","[]"
"haz una foto","[]"
"siguiente canción","[]"
"llévame a la calle Mayor 12","[]"
"pon mi podcast de historia","[]"
"how many calories have I burned","[]"
"what's my heart rate","[]"
"what's my cadence right now","[]"
"how many watts am I pushing","[]"
"what's the capital of France","[]"
"what pressure should I run my tyres at","[]"
"any news today","[]"
"what's the score of the match","[]"
"how many calories in a banana","[]"
"who won the tour de france last year","[]"
"what's today's date","[]"
"cuántas calorías he quemado","[]"
"a cuántas pulsaciones voy","[]"
"qué cadencia llevo","[]"
"cuántos vatios estoy moviendo","[]"
"cuál es la capital de Francia","[]"
"a qué presión inflo las ruedas","[]"
"cómo va el partido","[]"
"cuántas calorías tiene un plátano","[]"
"uh","[]"
"um so","[]"
"the the","[]"
"hey copilot","[]"
"can you","[]"
"eh","[]"
"mmm","[]"
"what was I","[]"
"hhh shh","[]"
"hold on","[]"
"so uh yeah","[]"
"is it the","[]"
"oye","[]"
"a ver","[]"
"oye copiloto","[]"
"puedes","[]"
"qué era lo que","[]"
"ehh pues","[]"
"espera espera","[]"
"y el el","[]"
"I already had water","[]"
"no need to reroute","[]"
"the café was great","[]"
"don't tell me the weather","[]"
"I don't need a bike shop anymore","[]"
"forget the forecast","[]"
"we already stopped for coffee","[]"
"no thanks I'll stay on this road","[]"
"I'm not hungry yet","[]"
"I love this route","[]"
"ya he comido","[]"
"no hace falta cambiar la ruta","[]"
"ya tengo agua","[]"
"el café estaba buenísimo","[]"
"no me digas el tiempo","[]"
"ya no necesito un taller","[]"
"olvida la previsión","[]"
"no quiero saber la distancia","[]"
'''
